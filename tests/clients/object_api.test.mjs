// The OSS object API through the official ali-oss SDK, V1 and V4 signatures.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { writeFileSync, mkdtempSync, rmSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { client, fetchText, xmlField } from './lib/oss.mjs';
import { startServer } from './lib/server.mjs';

const md5Upper = (buf) => createHash('md5').update(buf).digest('hex').toUpperCase();

let server;
before(async () => { server = await startServer(); });
after(async () => { await server.stop(); });

for (const v4 of [false, true]) {
  describe(`object API with ${v4 ? 'V4' : 'V1'} signatures`, () => {
    const bucket = v4 ? 'sdk-v4' : 'sdk-v1';
    let oss;
    before(async () => {
      oss = client(server, { bucket, v4 });
      await oss.putBucket(bucket);
    });

    test('put, get, head and metadata round trip', async () => {
      const body = Buffer.from('hello osslive \u4e2d\u6587');
      const put = await oss.put('dir/hello.txt', body, {
        headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-cache' },
        meta: { author: 'tester' },
      });
      assert.equal(put.res.status, 200);
      assert.equal(put.res.headers.etag, `"${md5Upper(body)}"`);
      assert.match(put.res.headers['x-oss-request-id'], /^[0-9A-F]{24}$/);

      const got = await oss.get('dir/hello.txt');
      assert.deepEqual(got.content, body);
      assert.equal(got.res.headers['content-type'], 'text/plain; charset=utf-8');
      assert.equal(got.res.headers['cache-control'], 'no-cache');
      assert.equal(got.res.headers['x-oss-meta-author'], 'tester');
      assert.equal(got.res.headers['x-oss-object-type'], 'Normal');

      const head = await oss.head('dir/hello.txt');
      assert.equal(head.status, 200);
      assert.equal(head.meta.author, 'tester');
      assert.equal(head.res.headers['content-length'], String(body.length));
    });

    test('special characters in keys', async () => {
      for (const key of ['a b+c.txt', 'unicode/\u89c6\u9891.mp4', 'per%cent&amp=.txt', 'deep/a/b/c/d.bin']) {
        const body = randomBytes(100);
        await oss.put(key, body);
        const got = await oss.get(key);
        assert.deepEqual(got.content, body, key);
      }
    });

    test('range and conditional GET', async () => {
      const body = Buffer.from('0123456789');
      const put = await oss.put('range.txt', body);
      const ranged = await oss.get('range.txt', { headers: { Range: 'bytes=2-5' } });
      assert.equal(ranged.res.status, 206);
      assert.equal(ranged.content.toString(), '2345');
      assert.equal(ranged.res.headers['content-range'], 'bytes 2-5/10');
      const suffix = await oss.get('range.txt', { headers: { Range: 'bytes=-3' } });
      assert.equal(suffix.content.toString(), '789');
      const invalid = await oss.get('range.txt', { headers: { Range: 'bytes=20-30' } });
      assert.equal(invalid.res.status, 200);
      assert.equal(invalid.content.toString(), '0123456789');
      const etag = put.res.headers.etag;
      const notModified = await oss.get('range.txt', { headers: { 'If-None-Match': etag } });
      assert.equal(notModified.res.status, 304);
      assert.equal(notModified.content.length, 0);
      await assert.rejects(oss.get('range.txt', { headers: { 'If-Match': '"0000"' } }),
        (err) => err.status === 412 && err.code === 'PreconditionFailed');
    });

    test('list with prefix, delimiter and pages (V1 and V2)', async () => {
      for (const key of ['list/a.ts', 'list/b.ts', 'list/sub/c.ts', 'list/sub/d.ts', 'list-other.ts'])
        await oss.put(key, Buffer.from(key));
      const top = await oss.list({ prefix: 'list/', delimiter: '/' });
      assert.deepEqual(top.objects.map((o) => o.name), ['list/a.ts', 'list/b.ts']);
      assert.deepEqual(top.prefixes, ['list/sub/']);
      assert.equal(top.objects[0].size, 9);
      assert.equal(top.objects[0].etag, `"${md5Upper(Buffer.from('list/a.ts'))}"`);

      const page1 = await oss.list({ prefix: 'list', 'max-keys': 2 });
      assert.equal(page1.isTruncated, true);
      assert.deepEqual(page1.objects.map((o) => o.name), ['list-other.ts', 'list/a.ts']);
      const page2 = await oss.list({ prefix: 'list', 'max-keys': 10, marker: page1.nextMarker });
      assert.deepEqual(page2.objects.map((o) => o.name), ['list/b.ts', 'list/sub/c.ts', 'list/sub/d.ts']);

      const v2a = await oss.listV2({ prefix: 'list/', 'max-keys': 3 });
      assert.equal(v2a.isTruncated, true);
      const v2b = await oss.listV2({ prefix: 'list/', 'max-keys': 3, 'continuation-token': v2a.nextContinuationToken });
      assert.deepEqual([...v2a.objects, ...v2b.objects].map((o) => o.name),
        ['list/a.ts', 'list/b.ts', 'list/sub/c.ts', 'list/sub/d.ts']);
      assert.equal(v2b.isTruncated, false);
    });

    test('multipartUpload of a 20 MB file', async () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'osslive-mp-'));
      const file = path.join(dir, 'big.bin');
      const data = randomBytes(20 * 1024 * 1024);
      writeFileSync(file, data);
      try {
        const result = await oss.multipartUpload('big/video.bin', file, { partSize: 5 * 1024 * 1024, parallel: 2 });
        assert.equal(result.res.status, 200);
        const head = await oss.head('big/video.bin');
        assert.equal(head.res.headers['content-length'], String(data.length));
        assert.equal(head.res.headers['x-oss-object-type'], 'Multipart');
        assert.match(head.res.headers.etag, /^"[0-9A-F]{32}-4"$/);
        const got = await oss.get('big/video.bin');
        assert.equal(md5Upper(got.content), md5Upper(data));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    test('ListMultipartUploads, ListParts and AbortMultipartUpload over HTTP', async () => {
      const prefix = `mpu-${v4 ? 'v4' : 'v1'}/`;
      // ali-oss gives a list of one element as the element itself, and none as undefined.
      const list = (x) => (x === undefined ? [] : [].concat(x));
      const parts = { 1: randomBytes(100 * 1024), 3: Buffer.from('the last part') };
      const a1 = (await oss.initMultipartUpload(`${prefix}a.bin`)).uploadId;
      const a2 = (await oss.initMultipartUpload(`${prefix}a.bin`)).uploadId;
      const b = (await oss.initMultipartUpload(`${prefix}b.bin`)).uploadId;
      for (const [n, bytes] of Object.entries(parts)) {
        const r = await oss.uploadPart(`${prefix}a.bin`, a1, Number(n), bytes, 0, bytes.length);
        assert.equal(r.etag, `"${md5Upper(bytes)}"`);
      }
      const uploads = async () => list((await oss.listUploads({ prefix })).uploads)
        .map((u) => `${u.name} ${u.uploadId}`).sort();
      assert.deepEqual(await uploads(), [`${prefix}a.bin ${a1}`, `${prefix}a.bin ${a2}`, `${prefix}b.bin ${b}`].sort());
      assert.deepEqual(list((await oss.listUploads({ prefix: `${prefix}b` })).uploads).map((u) => u.uploadId), [b], 'prefix filters');

      const listed = await oss.listParts(`${prefix}a.bin`, a1);
      assert.equal(listed.res.status, 200);
      assert.deepEqual(list(listed.parts).map((p) => [Number(p.PartNumber), p.ETag, Number(p.Size)]),
        [[1, `"${md5Upper(parts[1])}"`, parts[1].length], [3, `"${md5Upper(parts[3])}"`, parts[3].length]]);
      const page = await oss.listParts(`${prefix}a.bin`, a1, { 'max-parts': 1 });
      assert.deepEqual(list(page.parts).map((p) => Number(p.PartNumber)), [1]);
      assert.equal(String(page.isTruncated), 'true');
      assert.equal(Number(page.nextPartNumberMarker), 1);
      const rest = await oss.listParts(`${prefix}a.bin`, a1, { 'part-number-marker': 1 });
      assert.deepEqual(list(rest.parts).map((p) => Number(p.PartNumber)), [3]);
      assert.equal(String(rest.isTruncated), 'false');
      assert.deepEqual(list((await oss.listParts(`${prefix}b.bin`, b)).parts), [], 'an upload without parts');

      const aborted = await oss.abortMultipartUpload(`${prefix}a.bin`, a1);
      assert.equal(aborted.res.status, 204);
      const gone = (err) => err.status === 404 && err.code === 'NoSuchUpload';
      await assert.rejects(oss.listParts(`${prefix}a.bin`, a1), gone, 'ListParts after the abort');
      await assert.rejects(oss.abortMultipartUpload(`${prefix}a.bin`, a1), gone, 'a second abort');
      await assert.rejects(oss.uploadPart(`${prefix}a.bin`, a1, 2, parts[3], 0, parts[3].length), gone, 'UploadPart after the abort');
      await assert.rejects(oss.completeMultipartUpload(`${prefix}a.bin`, a1, [{ number: 1, etag: md5Upper(parts[1]) }]), gone);
      await assert.rejects(oss.abortMultipartUpload(`${prefix}a.bin`, 'no-such-upload-id'), gone);
      await assert.rejects(oss.abortMultipartUpload(`${prefix}b.bin`, a2), gone, 'an upload id of another key');
      assert.deepEqual(await uploads(), [`${prefix}a.bin ${a2}`, `${prefix}b.bin ${b}`].sort(), 'only the aborted one went');
      await assert.rejects(oss.head(`${prefix}a.bin`), (err) => err.status === 404, 'no object appeared');
      for (const [key, id] of [[`${prefix}a.bin`, a2], [`${prefix}b.bin`, b]]) {
        assert.equal((await oss.abortMultipartUpload(key, id)).res.status, 204);
      }
      assert.deepEqual(await uploads(), []);
    });

    test('delete, then NoSuchKey with the OSS error body', async () => {
      await oss.put('gone.txt', Buffer.from('x'));
      const del = await oss.delete('gone.txt');
      assert.equal(del.res.status, 204);
      await assert.rejects(oss.get('gone.txt'), (err) => {
        assert.equal(err.status, 404);
        assert.equal(err.code, 'NoSuchKey');
        assert.match(err.requestId, /^[0-9A-F]{24}$/);
        return true;
      });
      const again = await oss.delete('gone.txt');
      assert.equal(again.res.status, 204);
    });

    test('presigned GET URLs work and tampering is refused', async () => {
      await oss.put('signed/clip.bin', Buffer.from('signed-bytes'));
      const url = v4 ? await oss.signatureUrlV4('GET', 600, undefined, 'signed/clip.bin')
                     : oss.signatureUrl('signed/clip.bin', { expires: 600 });
      const ok = await fetchText(url);
      assert.equal(ok.status, 200);
      assert.equal(ok.text, 'signed-bytes');

      const tampered = url.replace('signed/clip.bin', 'signed/clip.bix');
      const bad = await fetchText(tampered);
      assert.equal(bad.status, 403);
      assert.equal(xmlField(bad.text, 'Code'), 'SignatureDoesNotMatch');
      assert.ok(xmlField(bad.text, 'StringToSign'), 'the server tells which string it signed');
      assert.match(bad.headers.get('x-oss-request-id'), /^[0-9A-F]{24}$/);
    });

    test('expired presigned URL is refused', async () => {
      await oss.put('signed/old.bin', Buffer.from('old'));
      let url;
      if (v4) {
        url = await oss.signatureUrlV4('GET', 1, undefined, 'signed/old.bin');
      } else {
        url = oss.signatureUrl('signed/old.bin', { expires: 1 });
      }
      // ali-oss rounds the current second for V1 Expires (so it may lie 1.5 s ahead), and the
      // server compares whole seconds: wait until the URL's own expiry is a full second past.
      const q = new URL(url).searchParams;
      const expiresAt = q.has('Expires') ? Number(q.get('Expires')) * 1000 : Date.now() + 1000;
      await new Promise((r) => setTimeout(r, Math.max(2100, expiresAt + 1100 - Date.now())));
      const res = await fetchText(url);
      assert.equal(res.status, 403);
      assert.equal(xmlField(res.text, 'Code'), 'AccessDenied');
      assert.match(xmlField(res.text, 'Message'), /expired/i);
    });

    test('unknown access key and wrong secret are refused', async () => {
      const stranger = client(server, { bucket, v4, accessKeyId: 'LTAInobody', accessKeySecret: 'x' });
      await assert.rejects(stranger.get('dir/hello.txt'), (err) => err.status === 403 && err.code === 'InvalidAccessKeyId');
      const wrong = client(server, { bucket, v4, accessKeySecret: 'wrong-secret' });
      await assert.rejects(wrong.get('dir/hello.txt'), (err) => err.status === 403 && err.code === 'SignatureDoesNotMatch');
    });
  });
}

describe('buckets', () => {
  test('list, refuse to delete a non-empty bucket, then delete', async () => {
    const oss = client(server, {});
    await oss.putBucket('to-delete');
    const buckets = await oss.listBuckets();
    assert.ok(buckets.buckets.some((b) => b.name === 'to-delete'));
    await assert.rejects(oss.putBucket('to-delete'), (err) => err.status === 409 && err.code === 'BucketAlreadyExists');
    const scoped = client(server, { bucket: 'to-delete' });
    await scoped.put('x.txt', Buffer.from('x'));
    await assert.rejects(oss.deleteBucket('to-delete'), (err) => err.status === 409 && err.code === 'BucketNotEmpty');
    await scoped.delete('x.txt');
    const del = await oss.deleteBucket('to-delete');
    assert.equal(del.res.status, 204);
    await assert.rejects(scoped.get('x.txt'), (err) => err.status === 404 && err.code === 'NoSuchBucket');
  });

  test('anonymous access only to public-read buckets', async () => {
    const oss = client(server, {});
    await oss.putBucket('public-media', { acl: 'public-read' });
    await oss.putBucket('private-media');
    await client(server, { bucket: 'public-media' }).put('open.txt', Buffer.from('open'));
    await client(server, { bucket: 'private-media' }).put('closed.txt', Buffer.from('closed'));
    const open = await fetchText(`${server.endpoint}/public-media/open.txt`);
    assert.equal(open.status, 200);
    assert.equal(open.text, 'open');
    const closed = await fetchText(`${server.endpoint}/private-media/closed.txt`);
    assert.equal(closed.status, 403);
    assert.equal(xmlField(closed.text, 'Code'), 'AccessDenied');
    const write = await fetchText(`${server.endpoint}/public-media/new.txt`, { method: 'PUT', body: 'x' });
    assert.equal(write.status, 403);
  });

  test('health endpoint and keys that try to leave the bucket', async () => {
    const health = await fetchText(`${server.endpoint}/-/health`);
    assert.equal(health.status, 200);
    const oss = client(server, { bucket: 'sdk-v1' });
    for (const key of ['../escape.txt', 'a/../../escape.txt']) {
      await assert.rejects(oss.put(key, Buffer.from('x')), (err) => err.status === 400, key);
    }
    if (server.dataDir) assert.ok(!readdirSync(server.dataDir).includes('escape.txt'));
  });
});
