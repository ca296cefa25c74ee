// Issue 18 through the real server: a signature binds the request that is executed (V1 replays),
// bodies are bound where a signature would not cover them (Content-MD5, x-oss-content-sha256),
// keys with control characters never break XML, a folder symlink planted in a bucket is never
// followed, and anonymous callers learn nothing about which buckets exist. Requests ali-oss cannot
// produce (replays, bodies it would hash) are sent raw, signed here with V1.
import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { createRequire } from 'node:module';

import { ffmpeg, lavfiVideo, tempDir } from './lib/media.mjs';
import { client, fetchText, xmlField } from './lib/oss.mjs';
import { ACCESS_KEY_ID, ACCESS_KEY_SECRET, startServer } from './lib/server.mjs';

const require = createRequire(import.meta.url);
const signUtils = require('ali-oss/lib/common/signUtils');

let server;
let work;
const md5 = (data) => createHash('md5').update(data).digest('base64');
const sha256 = (data) => createHash('sha256').update(data).digest('hex');
const b64 = (text) => Buffer.from(text).toString('base64');

before(async () => {
  server = await startServer();
  work = tempDir('osslive-binding-');
});
after(async () => {
  await server?.stop();
  work?.remove();
});

// A V1 header-signed request as an SDK would send it. `query` is the raw query string (as sent);
// `subresources` the decoded pairs the V1 string to sign lists; headers as given (x-oss-date added).
async function v1Request(method, { bucket, key = '', query = '', subresources = [], headers = {}, body }) {
  const all = { 'x-oss-date': new Date().toUTCString(), ...headers };
  const lower = Object.fromEntries(Object.entries(all).map(([k, v]) => [k.toLowerCase(), String(v)]));
  const ossHeaders = Object.keys(lower).filter((k) => k.startsWith('x-oss-')).sort()
    .map((k) => `${k}:${lower[k]}\n`).join('');
  const sub = [...subresources].sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0))
    .map(([k, v]) => (v === '' ? k : `${k}=${v}`)).join('&');
  const resource = `/${bucket}/${key}${sub ? `?${sub}` : ''}`;
  const stringToSign = `${method}\n${lower['content-md5'] ?? ''}\n${lower['content-type'] ?? ''}\n${lower['x-oss-date']}\n` +
    `${ossHeaders}${resource}`;
  const signature = createHmac('sha1', ACCESS_KEY_SECRET).update(stringToSign).digest('base64');
  const target = `/${bucket}/${encodeURIComponent(key).replace(/%2F/g, '/')}${query ? `?${query}` : ''}`;
  return fetchText(`${server.endpoint}${target}`, { method, body, headers: { ...all, Authorization: `OSS ${ACCESS_KEY_ID}:${signature}` } });
}

// A V4 header-signed PUT through ali-oss's own V4 signing, with the x-oss-content-sha256 given
// (the ali-oss client always sends UNSIGNED-PAYLOAD and keeps it over a caller's header).
async function v4Put(bucket, key, body, contentSha256) {
  const date = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  const headers = { 'x-oss-date': date, 'x-oss-content-sha256': contentSha256 };
  const authorization = signUtils.authorizationV4(ACCESS_KEY_ID, ACCESS_KEY_SECRET, 'cn-hangzhou', 'PUT',
    { headers, queries: {} }, bucket, key);
  return fetchText(`${server.endpoint}/${bucket}/${key}`, { method: 'PUT', body, headers: { ...headers, Authorization: authorization } });
}

// A presigned URL's path and its query with the signature parameters moved to the end; `rest`
// replaces the other parameters with raw text as an attacker would send it.
function resend(url, rest) {
  const parsed = new URL(url);
  const signature = ['OSSAccessKeyId', 'Expires', 'Signature']
    .map((k) => `${k}=${encodeURIComponent(parsed.searchParams.get(k))}`).join('&');
  return { path: parsed.pathname, query: rest ? `${rest}&${signature}` : signature };
}

describe('a V1 signature is bound to the request it signed', () => {
  const bucket = 'bind-v1';
  let oss;
  let uploadId;
  before(async () => {
    oss = client(server, { bucket });
    await oss.putBucket(bucket);
    await oss.put('doc.txt', Buffer.from('original'));
    uploadId = (await oss.initMultipartUpload('doc.txt')).uploadId;
  });

  test('the presigned UploadPart URL itself works', async () => {
    const url = oss.signatureUrl('doc.txt', { method: 'PUT', expires: 600, subResource: { partNumber: 1, uploadId } });
    const res = await fetchText(url, { method: 'PUT', body: Buffer.from('part one') });
    assert.equal(res.status, 200, res.text);
  });

  test('replayed with partNumber=1%26uploadId%3D... it is refused, not run as PutObject', async () => {
    const url = oss.signatureUrl('doc.txt', { method: 'PUT', expires: 600, subResource: { partNumber: 1, uploadId } });
    const { path: target, query } = resend(url, `partNumber=1%26uploadId%3D${uploadId}`);
    const res = await fetchText(`${server.endpoint}${target}?${query}`, { method: 'PUT', body: Buffer.from('overwritten') });
    assert.equal(res.status, 400, res.text);
    assert.equal(xmlField(res.text, 'Code'), 'InvalidArgument');
    assert.equal(xmlField(res.text, 'ArgumentName'), 'partNumber');
    assert.equal((await oss.get('doc.txt')).content.toString(), 'original');
  });

  test('replayed with the sub-resources inside the key (%3F) it is refused, no such key is made', async () => {
    const url = oss.signatureUrl('doc.txt', { method: 'PUT', expires: 600, subResource: { partNumber: 1, uploadId } });
    const { path: target, query } = resend(url, '');
    const res = await fetchText(`${server.endpoint}${target}%3FpartNumber%3D1%26uploadId%3D${uploadId}?${query}`,
      { method: 'PUT', body: Buffer.from('new key') });
    assert.equal(res.status, 400, res.text);
    assert.equal(xmlField(res.text, 'Code'), 'InvalidArgument');
    // Looked up with V4: a V1 request for that key is itself ambiguous, and refused.
    await assert.rejects(client(server, { bucket, v4: true }).head(`doc.txt?partNumber=1&uploadId=${uploadId}`),
      (err) => err.status === 404);
  });

  test('a parameter named "x-oss-process=hls/sign,live_1" does not turn an hls/sign URL into a GET', async () => {
    const url = oss.signatureUrl('doc.txt', { expires: 600, process: 'hls/sign,live_1' });
    const { path: target, query } = resend(url, 'x-oss-process%3Dhls%2Fsign%2Clive_1');
    const res = await fetchText(`${server.endpoint}${target}?${query}`);
    assert.equal(res.status, 400, res.text);
    assert.notEqual(res.text, 'original');
  });

  test('a parameter given twice is refused', async () => {
    const res = await v1Request('GET', { bucket, key: 'doc.txt', query: 'acl&acl', subresources: [['acl', ''], ['acl', '']] });
    assert.equal(res.status, 400, res.text);
    assert.equal(xmlField(res.text, 'ArgumentName'), 'acl');
  });

  test('V4 was never affected: the same replay fails its signature', async () => {
    const oss4 = client(server, { bucket, v4: true });
    const url = await oss4.signatureUrlV4('PUT', 600, { queries: { partNumber: 1, uploadId } }, 'doc.txt');
    const parsed = new URL(url);
    const rest = [...parsed.searchParams].filter(([k]) => k !== 'partNumber' && k !== 'uploadId')
      .map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');
    const res = await fetchText(`${server.endpoint}${parsed.pathname}?partNumber=1%26uploadId%3D${uploadId}&${rest}`,
      { method: 'PUT', body: Buffer.from('overwritten') });
    assert.equal(res.status, 403, res.text);
    assert.equal(xmlField(res.text, 'Code'), 'SignatureDoesNotMatch');
    assert.equal((await oss.get('doc.txt')).content.toString(), 'original');
  });
});

describe('bodies are bound', () => {
  const bucket = 'bind-body';
  let oss;
  before(async () => {
    oss = client(server, { bucket });
    await oss.putBucket(bucket);
    const clip = work.file('clip.mp4');
    await ffmpeg([...lavfiVideo({ size: '64x48', rate: '25', duration: 2 }), '-c:v', 'libx264', '-preset', 'ultrafast', clip]);
    await oss.put('src/clip.mp4', clip);
    await oss.put('keep/a.txt', Buffer.from('a'));
  });

  const processBody = (target) => Buffer.from(`x-oss-process=hls/m3u8,st_5000|sys/saveas,o_${b64(target)}`);
  const form = 'application/x-www-form-urlencoded';

  test('a presigned POST x-oss-process without Content-MD5 cannot save to a key of the sender\'s choosing', async () => {
    const url = oss.signatureUrl('src/clip.mp4', { method: 'POST', expires: 600, subResource: { 'x-oss-process': '' },
      'Content-Type': form });
    const res = await fetchText(url, { method: 'POST', body: processBody('hijack/P.m3u8'), headers: { 'Content-Type': form } });
    assert.equal(res.status, 400, res.text);
    assert.equal(xmlField(res.text, 'Code'), 'MissingArgument');
    assert.equal(res.headers.get('x-oss-ec'), '0016-00000606');
    await assert.rejects(oss.head('hijack/P.m3u8'), (err) => err.status === 404);
  });

  test('with its Content-MD5 signed the presigned POST runs, and only with that body', async () => {
    const body = processBody('bound/P.m3u8');
    const url = oss.signatureUrl('src/clip.mp4', { method: 'POST', expires: 600, subResource: { 'x-oss-process': '' },
      'Content-Type': form, 'Content-MD5': md5(body) });
    const other = await fetchText(url, { method: 'POST', body: processBody('hijack/Q.m3u8'),
      headers: { 'Content-Type': form, 'Content-MD5': md5(processBody('hijack/Q.m3u8')) } });
    assert.equal(other.status, 403, other.text);
    const res = await fetchText(url, { method: 'POST', body, headers: { 'Content-Type': form, 'Content-MD5': md5(body) } });
    assert.equal(res.status, 200, res.text);
    assert.equal(JSON.parse(res.text).VideoPlaylist[0].URI, `oss://${bucket}/bound/P.m3u8`);
  });

  test('header-signed POST x-oss-process needs no Content-MD5 (oss2 process_object sends none)', async () => {
    const body = processBody('header/P.m3u8');
    const res = await v1Request('POST', { bucket, key: 'src/clip.mp4', query: 'x-oss-process',
      subresources: [['x-oss-process', '']], headers: { 'Content-Type': form }, body });
    assert.equal(res.status, 200, res.text);
  });

  test('a presigned GenerateVideoPlaylist without Content-MD5 is refused', async () => {
    const expires = Math.floor(Date.now() / 1000) + 600;
    const stringToSign = `POST\n\napplication/json\n${expires}\n/`;
    const signature = createHmac('sha1', ACCESS_KEY_SECRET).update(stringToSign).digest('base64');
    const body = JSON.stringify({ SourceURI: `oss://${bucket}/src/clip.mp4`, MasterURI: `oss://${bucket}/evil/master.m3u8`,
      Targets: [{ Video: {} }] });
    const res = await fetchText(`${server.endpoint}/?GenerateVideoPlaylist&OSSAccessKeyId=${ACCESS_KEY_ID}` +
      `&Expires=${expires}&Signature=${encodeURIComponent(signature)}`,
    { method: 'POST', body: Buffer.from(body), headers: { 'Content-Type': 'application/json' } });
    assert.equal(res.status, 400, res.text);
    assert.equal(xmlField(res.text, 'Code'), 'MissingArgument');
    await assert.rejects(oss.head('evil/master.m3u8'), (err) => err.status === 404);
  });

  test('DeleteMultipleObjects needs Content-MD5, as on OSS', async () => {
    const body = Buffer.from('<?xml version="1.0" encoding="UTF-8"?><Delete><Quiet>true</Quiet><Object><Key>keep/a.txt</Key></Object></Delete>');
    const res = await v1Request('POST', { bucket, query: 'delete', subresources: [['delete', '']],
      headers: { 'Content-Type': 'application/xml' }, body });
    assert.equal(res.status, 400, res.text);
    assert.equal(xmlField(res.text, 'Code'), 'MissingArgument');
    assert.equal(res.headers.get('x-oss-ec'), '0016-00000606');
    assert.equal((await oss.get('keep/a.txt')).content.toString(), 'a');
    const deleted = await oss.deleteMulti(['keep/a.txt']);  // ali-oss sends Content-MD5
    assert.equal(deleted.res.status, 200);
    await assert.rejects(oss.head('keep/a.txt'), (err) => err.status === 404);
  });
});

describe('x-oss-content-sha256 is checked against the body', () => {
  const bucket = 'bind-sha';
  let oss4;
  before(async () => {
    oss4 = client(server, { bucket, v4: true });
    await oss4.putBucket(bucket);
  });

  for (const [name, size] of [['in memory', 1000], ['spooled', 3 << 20]]) {
    test(`a body ${name}: a wrong digest is refused, the right one and UNSIGNED-PAYLOAD are taken`, async () => {
      const body = Buffer.alloc(size, 7);
      const wrong = await v4Put(bucket, `sha/${size}.bin`, body, sha256(Buffer.from('other')));
      assert.equal(wrong.status, 400, wrong.text);
      assert.equal(xmlField(wrong.text, 'Code'), 'InvalidDigest');
      await assert.rejects(oss4.head(`sha/${size}.bin`), (err) => err.status === 404);
      const right = await v4Put(bucket, `sha/${size}.bin`, body, sha256(body).toUpperCase());
      assert.equal(right.status, 200, right.text);
      const unsigned = await oss4.put(`sha/${size}-u.bin`, body);  // ali-oss V4 sends UNSIGNED-PAYLOAD
      assert.equal(unsigned.res.status, 200);
    });
  }

  test('V1 signs the header as an x-oss-* header: it binds the body there too', async () => {
    const res = await v1Request('PUT', { bucket, key: 'sha/v1.txt', headers: { 'x-oss-content-sha256': sha256('expected') },
      body: Buffer.from('something else') });
    assert.equal(res.status, 400, res.text);
    assert.equal(xmlField(res.text, 'Code'), 'InvalidDigest');
    const bad = await v1Request('PUT', { bucket, key: 'sha/v1.txt', headers: { 'x-oss-content-sha256': 'not-a-digest' },
      body: Buffer.from('x') });
    assert.equal(bad.status, 400, bad.text);
    assert.equal(xmlField(bad.text, 'ArgumentName'), 'x-oss-content-sha256');
  });
});

describe('keys with control characters', () => {
  const bucket = 'bind-ctl';
  let oss;
  const forbidden = /[\x00-\x08\x0B\x0C\x0E-\x1F]/;
  before(async () => {
    oss = client(server, { bucket });
    await oss.putBucket(bucket);
    await oss.put('ctl/a\x01b.txt', Buffer.from('soh'));
    await oss.put('ctl/c\rd.txt', Buffer.from('cr'));
    await oss.put('ctl/plain.txt', Buffer.from('plain'));
  });

  test('are stored as OSS stores them, and a listing never writes them raw', async () => {
    assert.equal((await oss.get('ctl/a\x01b.txt')).content.toString(), 'soh');
    const res = await v1Request('GET', { bucket, query: 'prefix=ctl%2F' });
    assert.equal(res.status, 200, res.text);
    assert.doesNotMatch(res.text, forbidden, 'a character XML 1.0 does not allow');
    assert.doesNotMatch(res.text, /\r/, 'a raw CR reaches an XML reader as LF');
    // The page says how its keys are written, and every key comes back exactly.
    assert.equal(xmlField(res.text, 'EncodingType'), 'url');
    const keys = [...res.text.matchAll(/<Key>([^<]*)<\/Key>/g)].map((m) => decodeURIComponent(m[1]));
    assert.deepEqual(keys.sort(), ['ctl/a\x01b.txt', 'ctl/c\rd.txt', 'ctl/plain.txt'].sort());
  });

  test('a page without such keys is left as it was', async () => {
    const res = await v1Request('GET', { bucket, query: 'prefix=ctl%2Fp' });
    assert.equal(xmlField(res.text, 'EncodingType'), undefined);
    assert.match(res.text, /<Key>ctl\/plain.txt<\/Key>/);
    const cr = await v1Request('GET', { bucket, query: 'prefix=ctl%2Fc' });
    assert.match(cr.text, /<Key>ctl\/c&#13;d.txt<\/Key>/, 'CR alone is written as a character reference');
  });

  test('error bodies and echoed parameters stay well-formed', async () => {
    const missing = await v1Request('GET', { bucket, key: 'ctl/none\x02.txt' });
    assert.equal(missing.status, 404);
    assert.doesNotMatch(missing.text, forbidden);
    const prefix = await v1Request('GET', { bucket, query: 'prefix=%07' });
    assert.equal(prefix.status, 200);
    assert.doesNotMatch(prefix.text, forbidden);
    assert.equal(xmlField(prefix.text, 'Prefix'), '%07');
  });

  test('request XML with such a character is malformed', async () => {
    const body = Buffer.from('<Delete><Object><Key>ctl/a&#x1;b.txt</Key></Object></Delete>');
    const res = await v1Request('POST', { bucket, query: 'delete', subresources: [['delete', '']],
      headers: { 'Content-MD5': md5(body), 'Content-Type': 'application/xml' }, body });
    assert.equal(res.status, 400, res.text);
    assert.equal(xmlField(res.text, 'Code'), 'MalformedXML');
  });
});

describe('a folder symlink planted in a bucket is never followed', () => {
  const bucket = 'bind-link';
  let oss;
  let outside;
  before(async () => {
    oss = client(server, { bucket });
    await oss.putBucket(bucket);
    await oss.put('real/x.txt', Buffer.from('x'));
    outside = work.file('outside');
    mkdirSync(outside);
    writeFileSync(path.join(outside, 'victim.txt'), 'keep me');
    writeFileSync(path.join(outside, '.%m.victim.txt'), '{}');
    if (server.dataDir) symlinkSync(outside, path.join(server.dataDir, bucket, 'dir'));
  });

  test('DELETE, PUT, GET and listing through the link leave the folder outside alone', { skip: !!process.env.OSSLIVE_ENDPOINT }, async () => {
    const del = await oss.delete('dir/victim.txt');
    assert.equal(del.res.status, 204);  // as for any missing key
    assert.equal(readFileSync(path.join(outside, 'victim.txt'), 'utf8'), 'keep me');
    assert.ok(existsSync(path.join(outside, '.%m.victim.txt')));
    await oss.deleteMulti(['dir/victim.txt']);
    assert.equal(readFileSync(path.join(outside, 'victim.txt'), 'utf8'), 'keep me');
    await assert.rejects(oss.put('dir/new.txt', Buffer.from('n')), (err) => err.status === 409);
    assert.ok(!existsSync(path.join(outside, 'new.txt')));
    await assert.rejects(oss.get('dir/victim.txt'), (err) => err.status === 404);
    const listed = await oss.list({ prefix: 'dir/' });
    assert.equal((listed.objects ?? []).length, 0);
    const all = await oss.list({});
    assert.deepEqual((all.objects ?? []).map((o) => o.name), ['real/x.txt']);
  });
});

describe('anonymous callers learn nothing about which buckets exist', () => {
  before(async () => {
    const oss = client(server, {});
    await oss.putBucket('anon-private');
    await client(server, { bucket: 'anon-private' }).put('k.txt', Buffer.from('k'));
  });

  const requests = [
    ['GET bucket', '/', {}],
    ['GET object', '/k.txt', {}],
    ['HEAD object', '/k.txt', { method: 'HEAD' }],
    ['GET ?acl', '/?acl', {}],
    ['GET ?website (not supported)', '/?website', {}],
    ['PATCH (no such method)', '/k.txt', { method: 'PATCH' }],
    ['PUT small', '/n.txt', { method: 'PUT', body: Buffer.from('n') }],
    ['PUT large (refused before the body)', '/n.bin', { method: 'PUT', body: Buffer.alloc(2 << 20) }],
    ['DELETE', '/k.txt', { method: 'DELETE' }],
    ['POST ?delete', '/?delete', { method: 'POST', body: Buffer.from('<Delete/>') }],
    ['GET x-oss-process', '/k.m3u8?x-oss-process=hls/sign,live_1', {}],
    ['OPTIONS preflight', '/k.txt', { method: 'OPTIONS', headers: { Origin: 'http://a.example', 'Access-Control-Request-Method': 'GET' } }],
  ];
  for (const [name, target, init] of requests) {
    test(`${name}: a private bucket answers like a missing one`, async () => {
      const answer = async (bucket) => {
        const res = await fetchText(`${server.endpoint}/${bucket}${target}`, init);
        return { status: res.status, ec: res.headers.get('x-oss-ec'), code: xmlField(res.text, 'Code'),
          message: xmlField(res.text, 'Message'), bucketName: xmlField(res.text, 'BucketName') };
      };
      const existing = await answer('anon-private');
      const missing = await answer('anon-missing');
      assert.equal(existing.status, 403, JSON.stringify(existing));
      assert.deepEqual(existing, missing);
    });
  }
});

// Issue 18, finding 2: a public-read playlist bucket whose playlist's source is in a private bucket.
describe('no anonymous path to a private source', () => {
  let owner;
  let token;
  const segmentUrl = (n, from = 'pub/P.m3u8') => `${server.endpoint}/open-pl/pub/P-${token}-${n}.ts?x-oss-process=` +
    encodeURIComponent(`if_status_eq_404{hls/ts,from_${b64(from)}}`);
  const transcodes = async () => {
    const text = (await fetchText(`${server.endpoint}/-/metrics`)).text;
    return Number(text.match(/^osslive_transcodes_started_total(?:\{[^}]*\})? (\d+)/m)?.[1] ?? NaN);
  };
  before(async () => {
    const source = work.file('private.mp4');
    await ffmpeg([...lavfiVideo({ size: '160x120', duration: 30 }), '-c:v', 'libx264', '-preset', 'ultrafast', source]);
    owner = client(server, { bucket: 'private-src' });
    await owner.putBucket('private-src');
    await owner.putBucket('open-pl', { acl: 'public-read' });
    await owner.put('in/private.mp4', source);
    const r = await owner.processObjectSave('in/private.mp4', 'pub/P.m3u8', 'hls/m3u8,st_5000,initd_0', 'open-pl');
    assert.equal(r.status, 200, r.res.data.toString());
    token = JSON.parse(r.res.data.toString()).VideoPlaylist[0].Token;
    // The owner's player makes segment 0; its prefetch makes the other five. Then 1-5 are deleted.
    const pl = client(server, { bucket: 'open-pl' });
    const first = pl.signatureUrl(`pub/P-${token}-0.ts`, { expires: 600, process: `if_status_eq_404{hls/ts,from_${b64('pub/P.m3u8')}}` });
    const made = await fetch(first);
    assert.equal(made.status, 200);
    await made.arrayBuffer();
    const stored = async () => ((await pl.listV2({ prefix: `pub/P-${token}-` })).objects ?? []).map((o) => o.name);
    for (let i = 0; i < 600 && (await stored()).length < 6; i++) await new Promise((r2) => setTimeout(r2, 100));
    assert.equal((await stored()).length, 6, 'the owner\'s prefetch made every segment');
    for (const name of await stored()) if (!name.endsWith('-0.ts')) await pl.delete(name);
  });

  test('an anonymous hit is served and starts no transcode; a miss is 403', async () => {
    const before = await transcodes();
    assert.ok(before >= 6, `the metric counts the owner's transcodes: ${before}`);
    const hit = await fetch(segmentUrl(0));
    assert.equal(hit.status, 200);
    await hit.arrayBuffer();
    const miss = await fetchText(segmentUrl(1));
    assert.equal(miss.status, 403, miss.text);
    assert.equal(xmlField(miss.text, 'Code'), 'AccessDenied');
    const signedList = await fetchText(`${server.endpoint}/open-pl/pub/P.m3u8?x-oss-process=hls%2Fsign%2Clive_1`);
    assert.equal(signedList.status, 200);
    await new Promise((r) => setTimeout(r, 1000));
    assert.equal(await transcodes(), before, 'no segment job for an anonymous player of a private source');
  });

  test('a forged from_ on a stored segment starts nothing either', async () => {
    const before = await transcodes();
    const forged = await fetch(segmentUrl(0, 'pub/Other.m3u8'));
    assert.ok([200, 404].includes(forged.status), `status ${forged.status}`);
    await forged.arrayBuffer();
    await new Promise((r) => setTimeout(r, 1000));
    assert.equal(await transcodes(), before);
  });
});

// Issue 18, finding 3: hls/sign signs playlists, bounded, streamed.
describe('hls/sign signs playlists only', () => {
  let oss;
  before(async () => {
    oss = client(server, { bucket: 'sign-only' });
    await oss.putBucket('sign-only', { acl: 'public-read' });
  });

  test('an object that is not a playlist is refused before a byte is signed', async () => {
    await oss.put('lines.m3u8', Buffer.from('a\n'.repeat(1 << 20)));  // 2 MiB of short lines
    const res = await fetchText(`${server.endpoint}/sign-only/lines.m3u8?x-oss-process=hls%2Fsign%2Clive_1`);
    assert.equal(res.status, 400, res.text.slice(0, 200));
    assert.equal(xmlField(res.text, 'Code'), 'InvalidArgument');
  });

  test('a large playlist is streamed, not built whole', async () => {
    const lines = ['#EXTM3U', '#EXT-X-TARGETDURATION:10'];
    for (let i = 0; i < 50000; i++) lines.push('#EXTINF:10,', `s-${i}.ts`);
    lines.push('#EXT-X-ENDLIST');
    await oss.put('big.m3u8', Buffer.from(`${lines.join('\n')}\n`));
    const res = await fetch(`${server.endpoint}/sign-only/big.m3u8?x-oss-process=hls%2Fsign%2Clive_1`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-length'), null, 'chunked: the answer is produced as it is read');
    const text = await res.text();
    assert.equal(text.split('\n').filter((l) => l.startsWith('s-')).length, 50000);
  });
});
