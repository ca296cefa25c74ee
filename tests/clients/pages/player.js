// Test hooks around one hls.js player: what happened (events, errors, hls.js warnings, buffered
// ranges per SourceBuffer), and small actions the test drives with page.evaluate.
/* global Hls */
(() => {
  const { JOIN_PROBLEMS, STALLS, ranges } = window.watch;
  const video = () => document.getElementById('video');
  let hls = null;
  let state = null;

  function fresh() {
    return { events: [], errors: [], stalls: [], warnings: [], joinProblems: [], fragsLoaded: [], fragsChanged: [],
      manifestParsed: false, ended: false, videoRanges: [], audioRanges: [], duration: 0, startedAt: performance.now() };
  }

  // Where in the playlist a warning or error happened (seconds), from its text, else the playhead.
  const position = (line) => {
    const m = /@ ([\d.]+)s|detected at ([\d.]+)|from ([\d.]+) to/.exec(line);
    return m ? Number(m[1] ?? m[2] ?? m[3]) : video().currentTime;
  };
  const text = (args) => args.map((a) => (a instanceof Error ? a.message : typeof a === 'string' ? a : JSON.stringify(a))).join(' ');
  const logger = {
    debug() {}, log() {}, info() {}, trace() {},
    warn(...args) {
      const line = text(args);
      state.warnings.push(line);
      if (JOIN_PROBLEMS.some((re) => re.test(line))) state.joinProblems.push({ text: line, pos: position(line) });
    },
    error(...args) { state.warnings.push(`error: ${text(args)}`); },
  };

  window.player = {
    get state() { return state; },

    // A plain cross-origin fetch, to tell a CORS refusal (TypeError) from an HTTP answer.
    async probeFetch(url) {
      try {
        const res = await fetch(url);
        return { ok: true, status: res.status, body: (await res.text()).slice(0, 300) };
      } catch (e) {
        return { ok: false, error: `${e.name}: ${e.message}` };
      }
    },

    load(url, { startPosition = -1 } = {}) {
      hls?.destroy();
      state = fresh();
      const v = video();
      v.onended = () => { state.ended = true; };
      // The worker would keep the remuxer's warnings out of this logger.
      hls = new Hls({ enableWorker: false, debug: logger, startPosition });
      const E = Hls.Events;
      hls.on(E.MANIFEST_PARSED, (_, d) => { state.manifestParsed = true; state.levels = d.levels.length; });
      hls.on(E.LEVEL_LOADED, (_, d) => { state.duration = d.details.totalduration; state.fragments = d.details.fragments.length; });
      hls.on(E.FRAG_LOADED, (_, d) => { state.fragsLoaded.push(d.frag.sn); });
      hls.on(E.FRAG_CHANGED, (_, d) => { state.fragsChanged.push(d.frag.sn); });
      hls.on(E.BUFFER_APPENDED, (_, d) => {
        if (d.timeRanges?.video) state.videoRanges = ranges(d.timeRanges.video);
        if (d.timeRanges?.audio) state.audioRanges = ranges(d.timeRanges.audio);
      });
      hls.on(E.ERROR, (_, d) => {
        const reason = d.reason ?? d.error?.message ?? '';
        const entry = { details: d.details, fatal: d.fatal, type: d.type, reason, pos: position(reason), http: d.response?.code,
          buffer: d.buffer ?? d.bufferInfo?.len };
        state.errors.push(entry);
        if (STALLS.includes(d.details)) state.stalls.push(entry);
      });
      hls.loadSource(url);
      hls.attachMedia(v);
    },

    // Bounded: play() stays pending while there is nothing to play, and a test waiting on it
    // should fail saying where the player was, not run into its own timeout.
    async play(rate = 1, { timeoutMs = 30000 } = {}) {
      const v = video();
      v.playbackRate = rate;
      let timer;
      const late = new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`play() still pending after ${timeoutMs} ms at ${v.currentTime} s, ` +
          `buffered ${JSON.stringify(Array.from({ length: v.buffered.length }, (_, i) => [v.buffered.start(i), v.buffered.end(i)]))}, ` +
          `errors ${JSON.stringify(state.errors.slice(-5))}`)), timeoutMs);
      });
      try {
        await Promise.race([v.play(), late]);
      } finally {
        clearTimeout(timer);
      }
      v.playbackRate = rate;
    },

    // Seeks and resolves with the milliseconds until the playhead moves on from the target.
    seek(to, { timeoutMs = 20000 } = {}) {
      const v = video();
      const started = performance.now();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => { cleanup(); reject(new Error(`no progress ${timeoutMs} ms after seeking to ${to} (at ${v.currentTime})`)); }, timeoutMs);
        const check = () => {
          if (!v.seeking && v.currentTime >= to + 0.2 && !v.paused) { cleanup(); resolve(performance.now() - started); }
        };
        const cleanup = () => { clearTimeout(timer); v.removeEventListener('timeupdate', check); };
        v.addEventListener('timeupdate', check);
        v.currentTime = to;
        if (v.paused) v.play().catch(() => {});
      });
    },

    pause() { video().pause(); },

    // Luma statistics of the frame on screen: a decoded picture has structure, a blank one none.
    frameStats() {
      const v = video();
      const canvas = document.createElement('canvas');
      canvas.width = 160;
      canvas.height = 90;
      const ctx = canvas.getContext('2d', { willReadFrequently: true });
      ctx.drawImage(v, 0, 0, canvas.width, canvas.height);
      const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
      let sum = 0;
      let sq = 0;
      const n = data.length / 4;
      for (let i = 0; i < data.length; i += 4) {
        const y = 0.299 * data[i] + 0.587 * data[i + 1] + 0.114 * data[i + 2];
        sum += y;
        sq += y * y;
      }
      const mean = sum / n;
      return { mean, stddev: Math.sqrt(Math.max(0, sq / n - mean * mean)), width: v.videoWidth, height: v.videoHeight,
        currentTime: v.currentTime };
    },

    snapshot() {
      const v = video();
      return { ...state, currentTime: v.currentTime, paused: v.paused, buffered: ranges(v.buffered),
        readyState: v.readyState, mediaDuration: v.duration, elapsedMs: performance.now() - state.startedAt };
    },
  };
})();
