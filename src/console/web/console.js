// The console page: key entry, bucket and upload, hls/m3u8 generation, and an hls.js player with a
// per-segment view fed by hls/status. Every data call is signed in this page (see sign.js).
import { OssClient, OssError } from './oss.js';

const $ = (id) => document.getElementById(id);
const STORAGE_KEY = 'osslive.console.credentials';
const STATUS_INTERVAL_MS = 1000;

let client = null;
let hls = null;
let statusTimer = null;
let view = null;  // { bucket, key, cells, starts, current, loaded }

function showError(error, context = '') {
  $('error').hidden = false;
  $('error-title').textContent = `${context}${error instanceof OssError ? error.code : error.name}`;
  let detail = error.message;
  if (error.code === 'SignatureDoesNotMatch')
    detail += ' — check the AccessKeySecret; below is what the server signed and what this page signed.';
  else if (error.code === 'InvalidAccessKeyId') detail += ' — the AccessKeyId is not one the server knows.';
  else if (error.code === 'RequestTimeTooSkewed') detail += ' — this computer\'s clock is more than 15 minutes off the server\'s.';
  if (error.requestId) detail += ` (request id ${error.requestId})`;
  $('error-detail').textContent = detail;
  const sts = error.serverStringToSign || '';
  $('error-sts').hidden = !sts;
  $('error-sts-server').textContent = `server:\n${sts}`;
  $('error-sts-client').textContent = `page:\n${error.clientStringToSign ?? ''}`;
}

function clearError() { $('error').hidden = true; }

// Runs an action, showing any failure in the banner.
async function guarded(context, action) {
  clearError();
  try {
    return await action();
  } catch (e) {
    showError(e, context);
    return undefined;
  }
}

function fillSelect(select, values, keep) {
  const previous = keep ?? select.value;
  select.replaceChildren(...values.map((v) => new Option(v, v)));
  if (values.includes(previous)) select.value = previous;
}

async function useCredentials(credentials) {
  const candidate = new OssClient(credentials);
  const buckets = await guarded('Sign-in failed: ', () => candidate.listBuckets());
  if (!buckets) return false;
  client = candidate;
  sessionStorage.setItem(STORAGE_KEY, JSON.stringify(credentials));
  $('login').hidden = true;
  $('main').hidden = false;
  $('whoami').hidden = false;
  $('whoami').textContent = credentials.accessKeyId;
  $('sign-out').hidden = false;
  fillSelect($('bucket'), buckets);
  await refreshObjects();
  return true;
}

async function refreshBuckets() {
  const buckets = await guarded('Listing buckets: ', () => client.listBuckets());
  if (buckets) fillSelect($('bucket'), buckets);
  await refreshObjects();
}

async function refreshObjects() {
  const bucket = $('bucket').value;
  if (!bucket) return;
  const objects = await guarded('Listing objects: ', () => client.listObjects(bucket));
  if (!objects) return;
  const keys = objects.map((o) => o.key);
  fillSelect($('source'), keys.filter((k) => !k.endsWith('.ts') && !k.endsWith('.m3u8')));
  fillSelect($('playlist'), keys.filter((k) => k.endsWith('.m3u8')));
  suggestPlaylistKey();
}

function suggestPlaylistKey() {
  const source = $('source').value;
  if (!source || $('playlist-key').dataset.edited) return;
  const base = source.split('/').pop().replace(/\.[^.]*$/, '');
  $('playlist-key').value = `out/${base}.m3u8`;
  renderProcess();
}

// hls/m3u8 parameters from the form, in the order written.
function processParams() {
  const parts = [];
  for (const input of $('params').querySelectorAll('input, select')) {
    if (input.name === 'extra') continue;
    if (input.type === 'checkbox') { if (input.checked) parts.push(`${input.name}_${input.value}`); continue; }
    const value = input.value.trim();
    if (value) parts.push(`${input.name}_${value}`);
  }
  const extra = $('params').querySelector('[name=extra]').value.trim().replace(/^,+|,+$/g, '');
  if (extra) parts.push(extra);
  return parts.join(',');
}

function renderProcess() {
  const params = processParams();
  $('process-preview').textContent = `x-oss-process=hls/m3u8${params ? `,${params}` : ''}|sys/saveas,o_<${$('playlist-key').value}>`;
}

async function upload() {
  const file = $('file').files[0];
  if (!file) { showError(new Error('choose a file first')); return; }
  const bucket = $('bucket').value;
  const key = $('upload-key').value.trim() || `in/${file.name}`;
  const progress = $('upload-progress');
  progress.hidden = false;
  $('upload-status').textContent = `uploading ${file.name} (${(file.size / 1048576).toFixed(1)} MiB)...`;
  const done = await guarded('Upload: ', () => client.putObject(bucket, key, file, (loaded, total) => {
    progress.value = total ? loaded / total : 0;
  }));
  progress.hidden = true;
  if (!done) { $('upload-status').textContent = 'upload failed'; return; }
  $('upload-status').textContent = `uploaded ${key}`;
  $('upload-status').dataset.done = key;
  await refreshObjects();
  $('source').value = key;
  delete $('playlist-key').dataset.edited;
  suggestPlaylistKey();
}

async function generate() {
  const bucket = $('bucket').value;
  const source = $('source').value;
  const playlistKey = $('playlist-key').value.trim();
  if (!source || !playlistKey) { showError(new Error('choose a source and a playlist key')); return; }
  $('generate-result').hidden = true;
  const json = await guarded('Generate: ', () => client.generatePlaylist(bucket, source, playlistKey, processParams()));
  if (!json) return;
  $('generate-result').hidden = false;
  $('generate-result').textContent = JSON.stringify(json, null, 2);
  await refreshObjects();
  $('playlist').value = playlistKey;
  showSegments(bucket, playlistKey);
}

// ---- per-segment view ----

function showSegments(bucket, key) {
  clearInterval(statusTimer);
  view = { bucket, key, cells: [], starts: [], current: -1, loaded: new Set() };
  $('segments').replaceChildren();
  $('segments').dataset.playlist = key;
  pollStatus();
  statusTimer = setInterval(pollStatus, STATUS_INTERVAL_MS);
}

async function pollStatus() {
  const mine = view;
  if (!mine || document.hidden) return;  // a background tab need not poll
  let status;
  try {
    status = await client.playlistStatus(mine.bucket, mine.key);
  } catch (e) {
    $('segments-summary').textContent = `hls/status: ${e.message}`;
    return;
  }
  if (mine !== view) return;
  if (mine.cells.length !== status.Segments.length) {
    let start = 0;
    mine.starts = status.Segments.map((s) => { const at = start; start += s.Duration; return at; });
    mine.cells = status.Segments.map((s, i) => {
      const cell = document.createElement('span');
      cell.className = 'seg';
      cell.textContent = String(i);
      cell.dataset.index = String(i);
      cell.addEventListener('click', () => { if (hls) $('video').currentTime = mine.starts[i] + 0.01; });
      return cell;
    });
    $('segments').replaceChildren(...mine.cells);
  }
  const counts = {};
  status.Segments.forEach((s, i) => {
    const cell = mine.cells[i];
    cell.dataset.state = s.State;
    cell.title = `#${i} ${s.Duration.toFixed(3)} s, ${s.State}${s.Size ? `, ${s.Size} bytes` : ''}\n${s.Name}`;
    counts[s.State] = (counts[s.State] ?? 0) + 1;
  });
  $('segments-summary').textContent = `${status.Segments.length} segments, ${status.Duration.toFixed(3)} s: ` +
    Object.entries(counts).map(([k, v]) => `${v} ${k}`).join(', ');
  markCurrent();
}

function markCurrent() {
  if (!view) return;
  view.cells.forEach((cell, i) => {
    cell.classList.toggle('current', i === view.current);
    if (view.loaded.has(i)) cell.dataset.loaded = '';
  });
}

// ---- player ----

async function play() {
  const bucket = $('bucket').value;
  const key = $('playlist').value;
  if (!key) { showError(new Error('no playlist: generate one first')); return; }
  if (typeof window.Hls === 'undefined') { $('no-player').hidden = false; return; }
  if (!view || view.key !== key || view.bucket !== bucket) showSegments(bucket, key);
  const url = await guarded('Signing: ', () => client.playlistUrl(bucket, key));
  if (!url) return;
  $('playlist-link').href = url;
  $('playlist-link').hidden = false;
  hls?.destroy();
  const video = $('video');
  const status = $('player-status');
  if (!window.Hls.isSupported()) { status.textContent = 'this browser has no Media Source Extensions: open the signed playlist URL in Safari or ffplay'; return; }
  hls = new window.Hls({ enableWorker: true });
  const mine = view;
  hls.on(window.Hls.Events.MANIFEST_PARSED, () => {
    status.textContent = 'playlist loaded';
    video.play().catch(() => { status.textContent = 'press play'; });
  });
  hls.on(window.Hls.Events.FRAG_LOADED, (_, data) => { mine.loaded.add(data.frag.sn); markCurrent(); });
  hls.on(window.Hls.Events.FRAG_CHANGED, (_, data) => { mine.current = data.frag.sn; markCurrent(); });
  hls.on(window.Hls.Events.ERROR, (_, data) => {
    const what = `${data.fatal ? 'fatal' : 'recovered'} ${data.type}/${data.details}`;
    const hint = /codec|Codec/.test(data.details) ? ' (h265 does not play in Chromium or Firefox: use h264, or Safari / ffplay)' : '';
    const http = data.response?.code ? ` (HTTP ${data.response.code})` : '';
    status.textContent = `hls.js: ${what}${http}${hint}`;
    // hls.js recovers from most errors by itself (a retried load, a skipped start gap): only a fatal one
    // stops playback and stays on screen.
    if (data.fatal) status.dataset.error = 'fatal';
  });
  video.ontimeupdate = () => {
    if (mine !== view || !mine.starts.length) return;
    const t = video.currentTime;
    let index = mine.starts.findIndex((s, i) => t >= s && (i + 1 === mine.starts.length || t < mine.starts[i + 1]));
    if (index >= 0 && index !== mine.current) { mine.current = index; markCurrent(); }
    if (!status.dataset.error) status.textContent = `playing segment #${mine.current} (of ${mine.starts.length}), ${t.toFixed(1)} s`;
  };
  delete status.dataset.error;
  hls.loadSource(url);
  hls.attachMedia(video);
}

function signOut() {
  sessionStorage.removeItem(STORAGE_KEY);
  location.reload();
}

function wire() {
  $('login-form').addEventListener('submit', (e) => {
    e.preventDefault();
    useCredentials({ accessKeyId: $('access-key-id').value.trim(), accessKeySecret: $('access-key-secret').value.trim() });
  });
  $('sign-out').addEventListener('click', signOut);
  $('refresh').addEventListener('click', refreshBuckets);
  $('bucket').addEventListener('change', refreshObjects);
  $('new-bucket-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const name = $('new-bucket').value.trim();
    if (await guarded('Create bucket: ', () => client.putBucket(name).then(() => true))) {
      $('new-bucket').value = '';
      await refreshBuckets();
      $('bucket').value = name;
      await refreshObjects();
    }
  });
  $('file').addEventListener('change', () => {
    const file = $('file').files[0];
    if (file) $('upload-key').value = `in/${file.name}`;
  });
  $('upload-button').addEventListener('click', upload);
  $('source').addEventListener('change', () => { delete $('playlist-key').dataset.edited; suggestPlaylistKey(); });
  $('playlist-key').addEventListener('input', () => { $('playlist-key').dataset.edited = '1'; renderProcess(); });
  $('params').addEventListener('input', renderProcess);
  $('generate-button').addEventListener('click', generate);
  $('play-button').addEventListener('click', play);
  $('playlist').addEventListener('change', () => showSegments($('bucket').value, $('playlist').value));
  if (typeof window.Hls === 'undefined') $('no-player').hidden = false;
  renderProcess();
  const saved = sessionStorage.getItem(STORAGE_KEY);
  if (saved) useCredentials(JSON.parse(saved));
}

wire();
