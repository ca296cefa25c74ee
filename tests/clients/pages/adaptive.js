// Test hooks around hls.js playing a master playlist: level and audio track switches on demand,
// what hls.js loaded and switched, stalls, join repairs, buffered ranges and subtitle cues.
/* global Hls */
(() => {
  const { JOIN_PROBLEMS, STALLS, ranges } = window.watch;
  const video = () => document.getElementById('video');
  let hls = null;
  let state = null;

  const text = (args) => args.map((a) => (a instanceof Error ? a.message : typeof a === 'string' ? a : JSON.stringify(a))).join(' ');
  const logger = {
    debug() {}, log() {}, info() {}, trace() {},
    warn(...args) {
      const line = text(args);
      state.warnings.push(line);
      if (JOIN_PROBLEMS.some((re) => re.test(line))) state.joinProblems.push({ text: line, pos: video().currentTime });
    },
    error(...args) { state.warnings.push(`error: ${text(args)}`); },
  };

  window.abr = {
    get state() { return state; },

    // startHeight: the level to play from, chosen before the first fragment loads so that ABR
    // never runs (a switch at once during start-up races hls.js's first appends).
    load(url, startHeight) {
      hls?.destroy();
      state = { errors: [], stalls: [], warnings: [], joinProblems: [], frags: [], levelSwitches: [], audioSwitches: [],
        levels: [], audioTracks: [], subtitleTracks: [], cues: [], manifestParsed: false, ended: false, videoRanges: [], audioRanges: [],
        startedAt: performance.now() };
      const v = video();
      v.onended = () => { state.ended = true; };
      // The capped start level and bandwidth estimate are left alone: the test drives the switches.
      hls = new Hls({ enableWorker: false, debug: logger, startLevel: 0, capLevelToPlayerSize: false,
        renderTextTracksNatively: false });  // then hls.js hands every parsed cue to CUES_PARSED
      const E = Hls.Events;
      hls.on(E.MANIFEST_PARSED, (_, d) => {
        state.manifestParsed = true;
        state.levels = d.levels.map((l) => ({ height: l.height, bitrate: l.bitrate, codecs: `${l.videoCodec},${l.audioCodec}` }));
        const start = d.levels.findIndex((l) => l.height === startHeight);
        if (start >= 0) hls.loadLevel = start;  // manual from here on, with nothing buffered to flush
      });
      hls.on(E.AUDIO_TRACKS_UPDATED, (_, d) => { state.audioTracks = d.audioTracks.map((t) => ({ lang: t.lang, name: t.name })); });
      hls.on(E.SUBTITLE_TRACKS_UPDATED, (_, d) => {
        state.subtitleTracks = d.subtitleTracks.map((t) => ({ lang: t.lang, name: t.name }));
      });
      hls.on(E.LEVEL_LOADED, (_, d) => { state.duration = d.details.totalduration; });
      hls.on(E.FRAG_LOADED, (_, d) => { state.frags.push({ type: d.frag.type, level: d.frag.level, sn: d.frag.sn }); });
      // Cues as hls.js parsed them (media time): a later buffer flush may take them off the track.
      hls.on(E.CUES_PARSED, (_, d) => {
        for (const c of d.cues) {
          if (!state.cues.some((x) => x.start === c.startTime && x.text === c.text)) state.cues.push({ start: c.startTime, end: c.endTime, text: c.text });
        }
      });
      // Where output time 0 (the first picture, PTS 126000) sits on hls.js's media timeline.
      hls.on(E.FRAG_BUFFERED, (_, d) => {
        if (d.frag.type === 'main' && d.frag.sn === 0 && state.firstPicture === undefined) state.firstPicture = d.frag.startPTS;
      });
      hls.on(E.LEVEL_SWITCHED, (_, d) => { state.levelSwitches.push({ level: d.level, at: v.currentTime }); });
      hls.on(E.AUDIO_TRACK_SWITCHED, (_, d) => { state.audioSwitches.push({ id: d.id, at: v.currentTime }); });
      hls.on(E.BUFFER_APPENDED, (_, d) => {
        if (d.timeRanges?.video) state.videoRanges = ranges(d.timeRanges.video);
        if (d.timeRanges?.audio) state.audioRanges = ranges(d.timeRanges.audio);
      });
      hls.on(E.ERROR, (_, d) => {
        const entry = { details: d.details, fatal: d.fatal, reason: d.reason ?? d.error?.message ?? '', pos: v.currentTime,
          buffer: d.buffer ?? d.bufferInfo?.len, url: (d.frag?.url ?? d.context?.url ?? '').split('?')[0].split('/').pop(),
          http: d.response?.code };
        state.errors.push(entry);
        if (STALLS.includes(d.details)) state.stalls.push(entry);
      });
      hls.loadSource(url);
      hls.attachMedia(v);
    },

    // Not awaited: play() stays pending until there is data to play, and the test's own waits
    // report what the player was doing when there never is.
    play(rate = 1) {
      const v = video();
      v.playbackRate = rate;
      v.play().then(() => { v.playbackRate = rate; }, (e) => state.errors.push({ details: 'play() refused', fatal: true, reason: e.message }));
    },

    // 'next': at the next fragment boundary; 'current': at once (flushes the buffer ahead).
    switchLevel(level, how) {
      if (how === 'current') hls.currentLevel = level;
      else hls.nextLevel = level;
    },
    switchAudio(id) { hls.audioTrack = id; },
    showSubtitles(id) {
      hls.subtitleTrack = id;
      hls.subtitleDisplay = true;
    },
    currentLevel() { return hls.currentLevel; },
    time() { return video().currentTime; },
    pause() { video().pause(); },
    snapshot() {
      const v = video();
      return { ...state, currentTime: v.currentTime, paused: v.paused, mediaDuration: v.duration, buffered: ranges(v.buffered),
        elapsedMs: performance.now() - state.startedAt };
    },
  };
})();
