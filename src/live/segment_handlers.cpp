// GET <object>?x-oss-process=if_status_eq_404{hls/ts[,from_...]}: a segment (TS or WebVTT) through
// the SegmentService; any other name is served if it exists, as the 404 condition says.
#include "handlers.hpp"
#include "osslive/oss/object_reads.hpp"
#include "parts.hpp"

namespace osslive::live {
namespace {

const std::optional<std::string>& from_of(const LiveCall& call) {
  return std::get<process::TsOnMissing>(*call.operation).ts.from;
}

}  // namespace

Result<Response> serve_ts_segment(LiveCall& call) {
  OSSLIVE_ASSIGN(ServedSegment served, call.live.segments.serve(call.context, *call.segment, from_of(call)));
  // Prefetch follows every request, hits included: a player going through stored segments still
  // needs the ones after them. Only for a segment of that very playlist, and a requester who could
  // read its source: an anonymous hit on a public bucket must not make segments of a private source.
  if (served.playlist && served.playlist->media() && call.live.segments.may_make(call.context.identity, *served.playlist))
    call.live.prefetch.after(served.playlist, call.segment->index);
  return std::move(served.response);
}

Result<Response> serve_vtt_segment(LiveCall& call) {
  OSSLIVE_ASSIGN(ServedSegment served, call.live.segments.serve(call.context, *call.segment, from_of(call)));
  return std::move(served.response);
}

Result<Response> serve_object_if_stored(LiveCall& call) {
  auto stored = oss::serve_object(call.live.deps.store, call.request(), call.bucket(), call.key(), true);
  if (stored.ok()) ++call.live.stats.segment_hits;
  else if (stored.error().code() == Errc::NoSuchKey)
    return Error(Errc::NoSuchKey, "not a segment of an osslive playlist (expected P-<token>-<n>.ts)");
  return stored;
}

}  // namespace osslive::live
