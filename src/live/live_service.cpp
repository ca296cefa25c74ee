// Dispatch: what operation a request asks for, what object it addresses, and the row of
// process_routes.cpp that handles the pair. Errors go back to OssService, which renders them once.
#include "osslive/live/live_service.hpp"

#include "live_call.hpp"
#include "osslive/process/parser.hpp"
#include "parts.hpp"
#include "process_routes.hpp"

namespace osslive::live {
namespace {

// The process text of a request: the x-oss-process query value, or for a POST without one, the
// body (what ali-oss processObjectSave sends).
Result<std::string> process_text(Request& request) {
  std::string text(request.query.get("x-oss-process").value_or(""));
  if (!text.empty() || request.method != "POST") return text;
  if (request.body.file) return Error(Errc::InvalidArgument, "x-oss-process body too large");
  return process::process_from_body(request.body.data);
}

Result<Operation> read_operation(LiveCall& call) {
  if (call.bucket().empty()) return Operation::GenerateVideoPlaylist;  // the only service-level process
  OSSLIVE_ASSIGN(std::string text, process_text(call.request()));
  OSSLIVE_ASSIGN(process::Chain chain, process::parse_chain(text));
  OSSLIVE_ASSIGN(process::Operation operation, process::classify(chain));
  call.operation = operation;
  struct Visitor {
    Operation operator()(const process::M3u8AndSave&) const { return Operation::M3u8; }
    Operation operator()(const process::SignPlaylist&) const { return Operation::Sign; }
    Operation operator()(const process::TsOnMissing&) const { return Operation::Ts; }
    Operation operator()(const process::PlaylistStatus&) const { return Operation::Status; }
  };
  return std::visit(Visitor{}, operation);
}

Target target_of(const PlaylistObject& object) {
  if (object.media()) return Target::MediaPlaylist;
  if (object.subtitles()) return Target::SubtitlePlaylist;
  if (std::holds_alternative<MasterPlaylist>(object.kind)) return Target::MasterPlaylist;
  return Target::OtherObject;
}

Result<Target> resolve_target(LiveCall& call, Operation operation, const std::string& method) {
  LiveService::Parts& live = call.live;
  switch (operation) {
    case Operation::GenerateVideoPlaylist:
      return Target::Service;
    case Operation::M3u8:
      return Target::Source;
    case Operation::Ts:
      if (method != "GET") return Target::OtherObject;
      call.segment = hls::parse_segment_name(call.key());
      if (!call.segment) return Target::OtherObject;
      return call.segment->subtitle ? Target::VttSegment : Target::TsSegment;
    case Operation::Sign: {
      if (method != "GET") return Target::OtherObject;
      OSSLIVE_ASSIGN(call.text, oss::read_small_object(live.deps.store, call.bucket(), call.key(), kMaxPlaylistBytes, "playlist"));
      call.object = live.playlists.parse(call.bucket(), call.key(), call.text->info.etag, call.text->text);
      return target_of(*call.object);
    }
    case Operation::Status: {
      if (method != "GET") return Target::OtherObject;
      OSSLIVE_ASSIGN(call.object, live.playlists.load(call.bucket(), call.key()));
      return target_of(*call.object);
    }
  }
  return Target::OtherObject;
}

// No row: the operation with the wrong method, or a playlist of a kind the operation has no use for.
Error no_route(const LiveCall& call, Operation operation, const std::string& method) {
  if (method == "POST")
    return Error(Errc::InvalidArgument, "POST x-oss-process expects hls/m3u8,...|sys/saveas,o_...");
  if (operation == Operation::M3u8) return Error(Errc::MethodNotAllowed, "hls/m3u8 with sys/saveas is a POST request");
  if (call.object && call.object->not_media) return *call.object->not_media;
  return Error(Errc::InvalidArgument, "this x-oss-process operation does not apply to " + call.key());
}

}  // namespace

LiveService::LiveService(LiveDeps deps) : parts_(std::make_unique<Parts>(std::move(deps))) {}
LiveService::~LiveService() = default;

const LiveStats& LiveService::stats() const { return parts_->stats; }

void LiveService::resume() { parts_->prefetch.resume(); }

Result<Response> LiveService::handle(oss::RequestContext& context) {
  LiveCall call{*parts_, context, std::nullopt, nullptr, std::nullopt, std::nullopt};
  const std::string& method = context.request.method;
  OSSLIVE_ASSIGN(Operation operation, read_operation(call));
  OSSLIVE_ASSIGN(Target target, resolve_target(call, operation, method));
  const ProcessRoute* route = find_process_route(method, operation, target);
  if (!route) return no_route(call, operation, method);
  context.request.operation = std::string(route->name);
  return route->handler(call);
}

}  // namespace osslive::live
