// ali-oss clients pointed at a running osslive, plus small raw-HTTP helpers.
import OSS from 'ali-oss';

import { ACCESS_KEY_ID, ACCESS_KEY_SECRET } from './server.mjs';

// Path style needs sldEnable (ali-oss puts the bucket in the host otherwise), and a host name
// endpoint ("localhost") because ali-oss refuses to presign URLs for an IP endpoint.
export function client(server, { bucket, v4 = false, ...options } = {}) {
  return new OSS({
    accessKeyId: ACCESS_KEY_ID,
    accessKeySecret: ACCESS_KEY_SECRET,
    endpoint: `http://${server.host ?? 'localhost'}:${server.port}`,
    region: 'oss-cn-hangzhou',
    sldEnable: true,
    bucket,
    authorizationV4: v4,
    timeout: 120000,
    retryMax: 0,
    ...options,
  });
}

export async function fetchText(url, init) {
  const res = await fetch(url, init);
  return { status: res.status, headers: res.headers, text: await res.text() };
}

export function xmlField(xml, name) {
  const m = xml.match(new RegExp(`<${name}>([\\s\\S]*?)</${name}>`));
  return m ? m[1] : undefined;
}
