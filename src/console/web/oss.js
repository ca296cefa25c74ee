// The few OSS calls the console makes, every one signed in the page (V1 + x-oss-date), path style on
// the page's own origin, so no CORS configuration is needed for the console itself.
import { encodeKey, encodeQuery, presignUrl, signRequest } from './sign.js';

const MULTIPART_THRESHOLD = 32 * 1024 * 1024;
const PART_SIZE = 8 * 1024 * 1024;

const xmlText = (node, name) => node.getElementsByTagName(name)[0]?.textContent ?? '';

// An OSS error answer, with what the server computed when a signature did not match.
export class OssError extends Error {
  constructor(status, body, clientStringToSign) {
    const xml = body && body.startsWith('<?xml') ? new DOMParser().parseFromString(body, 'application/xml') : null;
    const code = xml ? xmlText(xml, 'Code') : '';
    super(xml ? `${code}: ${xmlText(xml, 'Message')}` : `HTTP ${status} ${body?.slice(0, 200) ?? ''}`);
    this.status = status;
    this.code = code || `HTTP${status}`;
    this.requestId = xml ? xmlText(xml, 'RequestId') : '';
    this.serverStringToSign = xml ? xmlText(xml, 'StringToSign') : '';
    this.clientStringToSign = clientStringToSign;
  }
}

export function base64UrlKey(key) {
  const bytes = new TextEncoder().encode(key);
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export class OssClient {
  constructor(credentials) {
    this.credentials = credentials;
  }

  url(bucket, key, query) {
    const path = bucket ? `/${bucket}/${key ? encodeKey(key) : ''}` : '/';
    const q = encodeQuery(query);
    return q ? `${path}?${q}` : path;
  }

  // One signed request; bodies with onProgress go through XMLHttpRequest for upload progress.
  async request({ method, bucket = '', key = '', query = [], headers = {}, body, onProgress }) {
    const signed = await signRequest(this.credentials, { method, bucket, key, query, headers });
    const url = this.url(bucket, key, query);
    if (onProgress) return this.xhr(method, url, signed, body, onProgress);
    const res = await fetch(url, { method, headers: signed.headers, body, cache: 'no-store' });
    if (!res.ok) throw new OssError(res.status, await res.text(), signed.stringToSign);
    return { status: res.status, headers: res.headers, body: await res.text() };
  }

  xhr(method, url, signed, body, onProgress) {
    return new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open(method, url);
      for (const [k, v] of Object.entries(signed.headers)) xhr.setRequestHeader(k, v);
      xhr.upload.onprogress = (e) => onProgress(e.loaded, e.total);
      xhr.onerror = () => reject(new Error(`network error on ${method} ${url}`));
      xhr.onload = () => {
        if (xhr.status >= 200 && xhr.status < 300) {
          resolve({ status: xhr.status, headers: { get: (n) => xhr.getResponseHeader(n) }, body: xhr.responseText });
        } else {
          reject(new OssError(xhr.status, xhr.responseText, signed.stringToSign));
        }
      };
      xhr.send(body);
    });
  }

  async listBuckets() {
    const { body } = await this.request({ method: 'GET' });
    const xml = new DOMParser().parseFromString(body, 'application/xml');
    return [...xml.getElementsByTagName('Bucket')].map((b) => xmlText(b, 'Name'));
  }

  async putBucket(bucket) {
    await this.request({ method: 'PUT', bucket });
  }

  // Every key under prefix (pages of 1000). Keys come url-encoded (encoding-type=url), so a key
  // with a control character, which XML cannot carry, lists like any other.
  async listObjects(bucket, prefix = '') {
    const objects = [];
    let marker = '';
    for (;;) {
      const query = [['encoding-type', 'url'], ['max-keys', '1000'], ['prefix', prefix],
        ...(marker ? [['marker', marker]] : [])];
      const { body } = await this.request({ method: 'GET', bucket, query });
      const xml = new DOMParser().parseFromString(body, 'application/xml');
      const decode = xmlText(xml, 'EncodingType') === 'url' ? decodeURIComponent : (text) => text;
      for (const c of xml.getElementsByTagName('Contents'))
        objects.push({ key: decode(xmlText(c, 'Key')), size: Number(xmlText(c, 'Size')), lastModified: xmlText(c, 'LastModified') });
      if (xmlText(xml, 'IsTruncated') !== 'true') return objects;
      marker = decode(xmlText(xml, 'NextMarker')) || objects[objects.length - 1].key;
    }
  }

  async putObject(bucket, key, file, onProgress = () => {}) {
    if (file.size > MULTIPART_THRESHOLD) return this.multipartUpload(bucket, key, file, onProgress);
    const headers = { 'Content-Type': file.type || 'application/octet-stream' };
    return this.request({ method: 'PUT', bucket, key, headers, body: file, onProgress });
  }

  // Large files: 8 MiB parts one after another (a failed part fails the upload, which is aborted).
  async multipartUpload(bucket, key, file, onProgress) {
    const headers = { 'Content-Type': file.type || 'application/octet-stream' };
    const init = await this.request({ method: 'POST', bucket, key, query: [['uploads', '']], headers });
    const uploadId = xmlText(new DOMParser().parseFromString(init.body, 'application/xml'), 'UploadId');
    const parts = [];
    try {
      for (let offset = 0, n = 1; offset < file.size; offset += PART_SIZE, n++) {
        const blob = file.slice(offset, Math.min(offset + PART_SIZE, file.size));
        const part = await this.request({
          method: 'PUT', bucket, key, query: [['partNumber', String(n)], ['uploadId', uploadId]], body: blob,
          onProgress: (loaded) => onProgress(offset + loaded, file.size),
        });
        parts.push(`<Part><PartNumber>${n}</PartNumber><ETag>${part.headers.get('ETag')}</ETag></Part>`);
      }
      const xml = `<CompleteMultipartUpload>${parts.join('')}</CompleteMultipartUpload>`;
      return await this.request({ method: 'POST', bucket, key, query: [['uploadId', uploadId]],
        headers: { 'Content-Type': 'application/xml' }, body: xml });
    } catch (e) {
      await this.request({ method: 'DELETE', bucket, key, query: [['uploadId', uploadId]] }).catch(() => {});
      throw e;
    }
  }

  // POST <source>?x-oss-process with hls/m3u8,<params>|sys/saveas,o_<playlist>: the JSON answer.
  async generatePlaylist(bucket, sourceKey, playlistKey, params) {
    const process = `hls/m3u8${params ? `,${params}` : ''}|sys/saveas,o_${base64UrlKey(playlistKey)}`;
    const { body } = await this.request({
      method: 'POST', bucket, key: sourceKey, query: [['x-oss-process', '']],
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: `x-oss-process=${process}`,
    });
    return JSON.parse(body);
  }

  // hls/status (an osslive extension): every segment's state.
  async playlistStatus(bucket, playlistKey) {
    const { body } = await this.request({ method: 'GET', bucket, key: playlistKey, query: [['x-oss-process', 'hls/status']] });
    return JSON.parse(body);
  }

  // The URL a player opens: hls/sign,live_1 signs every segment line like this URL.
  playlistUrl(bucket, playlistKey, expiresInSeconds = 3600) {
    return presignUrl(this.credentials, { bucket, key: playlistKey, query: [['x-oss-process', 'hls/sign,live_1']],
      expiresInSeconds });
  }
}
