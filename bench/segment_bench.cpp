// Times one segment made by transcode_segment, the way hls/ts makes it: the playlist (probe,
// resolve, plan) first, then the cold segment job alone, twice: the first job of a fresh process
// (fresh_*), then the same job again, as a running server that has made segments before does it
// (with the server's allocator setting, core/memory.hpp).
//   segment_bench SOURCE OUT.ts INDEX [st_ms] [WxH] [crf] [ab] [threads] [encoder_threads]
//   (SEGMENT_INITSEG=1000-2000 adds header segments, as hls/m3u8's initseg does)
// Prints: probe_s=<s> segment_s=<s> first_byte_s=<s> fresh_segment_s=<s> fresh_first_byte_s=<s>
//         bytes=<n> start_s=<s> duration_s=<s> segments=<n> index=<n>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

extern "C" {
#include <libavutil/log.h>
}

#include "osslive/core/config.hpp"
#include "osslive/core/memory.hpp"
#include "osslive/hls/plan.hpp"
#include "osslive/media/probe.hpp"
#include "osslive/transcode/segment_transcoder.hpp"

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

int fail(const std::string& what) {
  std::fprintf(stderr, "segment_bench: %s\n", what.c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) return fail("usage: segment_bench SOURCE OUT.ts INDEX [st_ms] [WxH] [crf] [ab] [threads] [encoder_threads]");
  av_log_set_level(AV_LOG_ERROR);
  osslive::keep_freed_memory(static_cast<std::size_t>(osslive::TranscodeConfig{}.keep_freed_memory_mb) << 20);
  const std::string source = argv[1], out_path = argv[2];
  const std::int64_t index = std::atoll(argv[3]);
  osslive::process::HlsM3u8 request;
  request.st_ms = argc > 4 ? std::atoll(argv[4]) : 10'000;
  if (argc > 5) {
    int w = 0, h = 0;
    if (std::sscanf(argv[5], "%dx%d", &w, &h) != 2) return fail("size must be WxH");
    request.width = w;
    request.height = h;
    request.sopt = 0;
  }
  if (argc > 6) request.crf = std::atoi(argv[6]);
  // Header segments, e.g. SEGMENT_INITSEG=1000-2000-4000 (hls/m3u8's initseg).
  if (const char* initseg = std::getenv("SEGMENT_INITSEG")) {
    for (const char* at = initseg; *at != '\0';) {
      char* end = nullptr;
      request.initseg_ms.push_back(std::strtoll(at, &end, 10));
      at = *end == '-' ? end + 1 : end;
      if (end == at && *end != '\0') return fail("SEGMENT_INITSEG must be durations in ms joined by '-'");
    }
  }
  if (argc > 7) request.ab = std::atoll(argv[7]);
  osslive::transcode::TranscodeOptions options;
  if (argc > 8) options.threads = std::atoi(argv[8]);
  if (argc > 9) options.encoder_threads = std::atoi(argv[9]);

  auto open = [&]() -> std::shared_ptr<const osslive::FileHandle> {
    auto handle = osslive::FileHandle::open_read(source);
    if (!handle.ok()) return nullptr;
    return std::make_shared<const osslive::FileHandle>(std::move(handle).value());
  };
  const auto probe_start = Clock::now();
  auto info = osslive::media::probe(open());
  if (!info.ok()) return fail(info.error().to_string());
  osslive::hls::Manifest manifest;
  auto params = osslive::hls::resolve(request, *info);
  if (!params.ok()) return fail(params.error().to_string());
  manifest.params = *params;
  auto plan = osslive::hls::make_plan(manifest.params);
  if (!plan.ok()) return fail(plan.error().to_string());
  const double probe_s = seconds_since(probe_start);
  if (index < 0) return fail("index must be >= 0");
  const std::int64_t at = std::min<std::int64_t>(index, static_cast<std::int64_t>(plan->segments.size()) - 1);

  struct Timing {
    double total_s = 0;
    double first_byte_s = -1;
    std::uint64_t bytes = 0;
  };
  auto make_segment = [&]() -> osslive::Result<Timing> {
    std::ofstream out(out_path, std::ios::binary | std::ios::trunc);
    Timing t;
    const auto start = Clock::now();
    osslive::Status status = osslive::transcode::transcode_segment(manifest, *plan, at, open(), options, [&](std::string_view chunk) {
      if (t.first_byte_s < 0) t.first_byte_s = seconds_since(start);
      out.write(chunk.data(), static_cast<std::streamsize>(chunk.size()));
      t.bytes += chunk.size();
      return osslive::Status{};
    });
    t.total_s = seconds_since(start);
    if (!status.ok()) return std::move(status).error();
    return t;
  };
  auto fresh = make_segment();
  if (!fresh.ok()) return fail(fresh.error().to_string());
  auto again = make_segment();
  if (!again.ok()) return fail(again.error().to_string());
  const auto& segment = plan->segments[static_cast<std::size_t>(at)];
  std::printf(
      "probe_s=%.3f segment_s=%.3f first_byte_s=%.3f fresh_segment_s=%.3f fresh_first_byte_s=%.3f bytes=%llu start_s=%.6f "
      "duration_s=%.6f segments=%zu index=%lld\n",
      probe_s, again->total_s, again->first_byte_s, fresh->total_s, fresh->first_byte_s,
      static_cast<unsigned long long>(again->bytes), segment.start.to_double(), segment.duration.to_double(),
      plan->segments.size(), static_cast<long long>(at));
  return 0;
}
