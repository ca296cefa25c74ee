// OSS V2 signatures ("OSS2") for presigned URLs, written here from the V2 description published
// with Alibaba Cloud's SDKs, not taken from osslive or from ali-oss (which has no V2):
//   StringToSign = VERB "\n" Content-MD5 "\n" Content-Type "\n" Expires "\n"
//                  CanonicalizedOSSHeaders AdditionalHeaderNames "\n" CanonicalizedResource
//   CanonicalizedResource = enc("/" bucket "/" key) then, if there are any, "?" and every query
//                  parameter but x-oss-signature as enc(name) or enc(name) "=" enc(value),
//                  sorted by encoded name and joined with "&"
//   x-oss-signature = base64(HMAC-SHA256(AccessKeySecret, StringToSign))
// enc keeps A-Z a-z 0-9 "-" "_" "." "~" and writes every other byte of the UTF-8 text as %XX,
// "/" included. A presigned URL carries x-oss-signature-version=OSS2, x-oss-expires (epoch
// seconds, the Expires line), x-oss-access-key-id and x-oss-signature after its own parameters.
import { createHmac } from 'node:crypto';

export function encV2(text) {
  let out = '';
  for (const byte of Buffer.from(String(text), 'utf8')) {
    const c = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-_.~]/.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

// params: [[name, value], ...] in URL order; a value of '' is a parameter without value.
export function stringToSignV2({ method, bucket, key, params, expires, contentType = '', contentMd5 = '',
  ossHeaders = {}, additionalHeaders = {} }) {
  const headerLines = Object.entries({ ...ossHeaders, ...additionalHeaders })
    .map(([name, value]) => [name.toLowerCase(), String(value).trim()])
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, value]) => `${name}:${value}\n`).join('');
  const additional = Object.keys(additionalHeaders).map((h) => h.toLowerCase()).sort().join(';');
  const query = params.filter(([name]) => name !== 'x-oss-signature')
    .map(([name, value]) => [encV2(name), value === '' ? '' : encV2(value)])
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, value]) => (value === '' ? name : `${name}=${value}`));
  const resource = encV2(`/${bucket}/${key}`) + (query.length ? `?${query.join('&')}` : '');
  return `${method}\n${contentMd5}\n${contentType}\n${expires}\n${headerLines}${additional}\n${resource}`;
}

export function signatureV2(secret, text) {
  return createHmac('sha256', secret).update(text).digest('base64');
}

// A V2-presigned URL for `method` on /bucket/key with the given query parameters.
export function presignV2({ endpoint, bucket, key, method = 'GET', params = [], expires, accessKeyId, secret,
  contentType = '' }) {
  const all = [...params, ['x-oss-signature-version', 'OSS2'], ['x-oss-expires', String(expires)],
    ['x-oss-access-key-id', accessKeyId]];
  const signature = signatureV2(secret, stringToSignV2({ method, bucket, key, params: all, expires, contentType }));
  all.push(['x-oss-signature', signature]);
  const path = `/${bucket}/${key.split('/').map(encodeURIComponent).join('/')}`;
  const query = all.map(([name, value]) => (value === '' ? encodeURIComponent(name)
    : `${encodeURIComponent(name)}=${encodeURIComponent(value)}`)).join('&');
  return `${endpoint}${path}?${query}`;
}
