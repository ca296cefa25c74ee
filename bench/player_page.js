// The page of bench/player_bench.mjs: hls.js with its default configuration plays the playlist
// named in the location hash (#src=<url>&rate=<n>) as soon as the page loads, the way a site's
// player does (play on MANIFEST_PARSED), and records what the viewer sees: when playback started
// (milliseconds from the navigation start, the page load included), every stall (waiting while
// playing, not after a seek) and how long each seek took until the picture moved again.
/* global Hls */
(() => {
  const params = new URLSearchParams(location.hash.slice(1));
  const rate = Number(params.get('rate') ?? 1);
  const video = document.getElementById('video');
  const now = () => performance.now();

  const bench = {
    startedMs: null,  // the first `playing`
    stalls: [],       // {at: playhead s, ms}, an unfinished one with ms null
    seeks: [],        // {to, ms}
    errors: [],
    ended: false,
    events: [],
  };
  window.bench = bench;

  let stallSince = null;
  let seek = null;  // the seek under way: {to, t0, waited, seekedAt, resolve}

  const finishSeek = (t) => {
    const s = seek;
    seek = null;
    const entry = { to: s.to, ms: t - s.t0 };
    bench.seeks.push(entry);
    s.resolve(entry.ms);
  };

  const on = {
    playing(t) {
      if (bench.startedMs === null) bench.startedMs = t;
      if (seek) {
        if (seek.seekedAt !== null) finishSeek(t);
        else seek.playing = true;
        return;
      }
      if (stallSince !== null) {
        bench.stalls[bench.stalls.length - 1].ms = t - stallSince;
        stallSince = null;
      }
    },
    waiting(t) {
      if (seek) { seek.waited = true; return; }
      if (bench.startedMs === null || bench.ended || stallSince !== null) return;
      stallSince = t;
      bench.stalls.push({ at: video.currentTime, ms: null });
    },
    seeked(t) {
      if (!seek) return;
      seek.seekedAt = t;
      // A seek into buffered media ends without a `waiting` / `playing` pair.
      if (!seek.waited || seek.playing) finishSeek(t);
    },
    ended() { bench.ended = true; },
  };
  for (const name of ['playing', 'waiting', 'seeking', 'seeked', 'ended']) {
    video.addEventListener(name, () => {
      const t = now();
      bench.events.push([name, Math.round(t), Number(video.currentTime.toFixed(3))]);
      on[name]?.(t);
    });
  }

  // Resolves with the milliseconds from the seek until the picture moves at the new position.
  bench.seek = (to) => new Promise((resolve) => {
    seek = { to, t0: now(), waited: false, seekedAt: null, playing: false, resolve };
    if (stallSince !== null) { bench.stalls.pop(); stallSince = null; }  // the seek ends that wait
    video.currentTime = to;
  });
  bench.state = () => ({ ...bench, seek: undefined, state: undefined, currentTime: video.currentTime,
    paused: video.paused, stalledNow: stallSince !== null });

  const hls = new Hls();
  hls.on(Hls.Events.ERROR, (_, d) => { if (d.fatal) bench.errors.push(`${d.details} ${d.reason ?? ''}`); });
  hls.on(Hls.Events.MANIFEST_PARSED, () => {
    video.defaultPlaybackRate = rate;
    video.playbackRate = rate;
    video.play().catch((e) => bench.errors.push(`play: ${e.message}`));
  });
  hls.loadSource(params.get('src'));
  hls.attachMedia(video);
})();
