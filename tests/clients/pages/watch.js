// What the test pages count as a bad join or a stall, shared by player.js and adaptive.js.
(() => {
  window.watch = {
    // hls.js warnings that mean two segments did not join: a timestamp hole or overlap the remuxer
    // patched, audio it had to invent or drop, a playhead pushed over a gap, a segment not starting on an IDR.
    JOIN_PROBLEMS: [/hole between fragments/, /overlapping between fragments/, /Injecting \d+ audio frames/,
      /overlaps marker/, /skipping hole/, /nudg/i, /does not start with IDR/, /Dropped \d+ out of \d+ video samples/,
      /do not overlap/],
    // ERROR details that are a stall or a gap jump, fatal or not.
    STALLS: ['bufferStalledError', 'bufferNudgeOnStall', 'bufferSeekOverHole'],
    // A TimeRanges object as [[start, end], ...].
    ranges: (r) => (r ? Array.from({ length: r.length }, (_, i) => [r.start(i), r.end(i)]) : []),
  };
})();
