// OSS V1 signatures computed in the browser. Browsers may not set Date, so header-signed requests
// carry x-oss-date, which the server (like OSS) puts in the Date slot of the StringToSign.
// HMAC-SHA1 comes from WebCrypto; pages opened over plain http from another host are not a
// secure context and have no crypto.subtle, so a small SHA-1 below takes over there.

// Sub-resources that are part of the signed resource (x-oss-* and response-* are added by rule).
const SUBRESOURCES = new Set(['acl', 'bucketInfo', 'cors', 'delete', 'location', 'objectMeta', 'partNumber',
  'uploadId', 'uploads']);

const isSubresource = (name) => SUBRESOURCES.has(name) || name.startsWith('x-oss-') || name.startsWith('response-');

// A key in a URL path: every byte escaped but '/', as the SDKs do.
export function encodeKey(key) {
  return key.split('/').map(encodeURIComponent).join('/');
}

// [[name, value], ...] -> "a=b&c" with RFC 3986 escapes; an empty value is a bare name.
export function encodeQuery(query) {
  const strict = (s) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return query.map(([k, v]) => (v === '' || v === undefined ? strict(k) : `${strict(k)}=${strict(v)}`)).join('&');
}

// "/bucket/key?sub=value&sub2": decoded values, sorted, only signed sub-resources.
export function canonicalResource(bucket, key, query = []) {
  let resource = bucket ? `/${bucket}/${key ?? ''}` : '/';
  const byKeyThenValue = ([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0);
  const signed = query.filter(([k]) => isSubresource(k)).map(([k, v]) => [k, v ?? '']).sort(byKeyThenValue);
  if (signed.length) resource += `?${signed.map(([k, v]) => (v === '' ? k : `${k}=${v}`)).join('&')}`;
  return resource;
}

// VERB \n Content-MD5 \n Content-Type \n Date slot \n x-oss-* headers, then the resource.
export function stringToSignV1({ method, headers = {}, bucket, key, query = [], dateSlot }) {
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), String(v).trim()]));
  const ossHeaders = Object.keys(lower).filter((k) => k.startsWith('x-oss-')).sort();
  const date = dateSlot ?? lower['x-oss-date'] ?? lower.date ?? '';
  return [method, lower['content-md5'] ?? '', lower['content-type'] ?? '', date].join('\n') + '\n' +
    ossHeaders.map((k) => `${k}:${lower[k]}\n`).join('') + canonicalResource(bucket, key, query);
}

const utf8 = (text) => new TextEncoder().encode(text);

function base64(bytes) {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

// FIPS 180-4 SHA-1 over bytes; only for pages without crypto.subtle.
export function sha1(bytes) {
  const length = bytes.length;
  const padded = new Uint8Array(((length + 9 + 63) >> 6) << 6);
  padded.set(bytes);
  padded[length] = 0x80;
  const view = new DataView(padded.buffer);
  view.setUint32(padded.length - 8, Math.floor(length / 0x20000000));
  view.setUint32(padded.length - 4, (length << 3) >>> 0);
  let [h0, h1, h2, h3, h4] = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0];
  const w = new Uint32Array(80);
  const rotl = (x, n) => (x << n) | (x >>> (32 - n));
  for (let off = 0; off < padded.length; off += 64) {
    for (let i = 0; i < 16; i++) w[i] = view.getUint32(off + i * 4);
    for (let i = 16; i < 80; i++) w[i] = rotl(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
    let [a, b, c, d, e] = [h0, h1, h2, h3, h4];
    for (let i = 0; i < 80; i++) {
      let f;
      let k;
      if (i < 20) { f = (b & c) | (~b & d); k = 0x5a827999; } else if (i < 40) { f = b ^ c ^ d; k = 0x6ed9eba1; } else if (i < 60) { f = (b & c) | (b & d) | (c & d); k = 0x8f1bbcdc; } else { f = b ^ c ^ d; k = 0xca62c1d6; }
      const t = (rotl(a, 5) + f + e + k + w[i]) >>> 0;
      [e, d, c, b, a] = [d, c, rotl(b, 30) >>> 0, a, t];
    }
    h0 = (h0 + a) >>> 0; h1 = (h1 + b) >>> 0; h2 = (h2 + c) >>> 0; h3 = (h3 + d) >>> 0; h4 = (h4 + e) >>> 0;
  }
  const out = new Uint8Array(20);
  const outView = new DataView(out.buffer);
  [h0, h1, h2, h3, h4].forEach((h, i) => outView.setUint32(i * 4, h));
  return out;
}

// RFC 2104 over the fallback SHA-1.
export function hmacSha1Fallback(keyBytes, messageBytes) {
  let key = keyBytes.length > 64 ? sha1(keyBytes) : keyBytes;
  const block = new Uint8Array(64);
  block.set(key);
  key = block;
  const inner = new Uint8Array(64 + messageBytes.length);
  const outer = new Uint8Array(64 + 20);
  for (let i = 0; i < 64; i++) { inner[i] = key[i] ^ 0x36; outer[i] = key[i] ^ 0x5c; }
  inner.set(messageBytes, 64);
  outer.set(sha1(inner), 64);
  return sha1(outer);
}

export async function hmacSha1Base64(secret, text, { subtle = globalThis.crypto?.subtle } = {}) {
  if (!subtle) return base64(hmacSha1Fallback(utf8(secret), utf8(text)));
  const key = await subtle.importKey('raw', utf8(secret), { name: 'HMAC', hash: 'SHA-1' }, false, ['sign']);
  return base64(new Uint8Array(await subtle.sign('HMAC', key, utf8(text))));
}

// Headers for a header-signed request: x-oss-date + Authorization. Returns the StringToSign too,
// so a SignatureDoesNotMatch can be compared with the server's.
export async function signRequest(credentials, { method, bucket, key, query = [], headers = {}, now = new Date() }) {
  const signedHeaders = { ...headers, 'x-oss-date': now.toUTCString() };
  const stringToSign = stringToSignV1({ method, headers: signedHeaders, bucket, key, query });
  const signature = await hmacSha1Base64(credentials.accessKeySecret, stringToSign);
  return { headers: { ...signedHeaders, Authorization: `OSS ${credentials.accessKeyId}:${signature}` }, stringToSign };
}

// A V1 presigned GET URL (OSSAccessKeyId, Expires, Signature), path style, relative to the origin.
export async function presignUrl(credentials, { bucket, key, query = [], expiresInSeconds = 3600, now = Date.now() }) {
  const expires = Math.floor(now / 1000) + expiresInSeconds;
  const stringToSign = stringToSignV1({ method: 'GET', bucket, key, query, dateSlot: String(expires) });
  const signature = await hmacSha1Base64(credentials.accessKeySecret, stringToSign);
  const all = [...query, ['OSSAccessKeyId', credentials.accessKeyId], ['Expires', String(expires)], ['Signature', signature]];
  return `/${bucket}/${encodeKey(key)}?${encodeQuery(all)}`;
}
