// Times one segment made by transcode_segment, the way hls/ts makes it: the playlist (probe,
// resolve, plan) first, then the cold segment job alone.
//   segment_bench SOURCE OUT.ts INDEX [st_ms] [WxH] [crf] [ab] [threads] [encoder_threads]
// Prints: probe_s=<s> segment_s=<s> bytes=<n> start_s=<s> duration_s=<s> segments=<n>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

extern "C" {
#include <libavutil/log.h>
}

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

  std::ofstream out(out_path, std::ios::binary);
  std::uint64_t bytes = 0;
  double first_byte_s = -1;
  const auto start = Clock::now();
  osslive::Status status = osslive::transcode::transcode_segment(manifest, *plan, at, open(), options, [&](std::string_view chunk) {
    if (first_byte_s < 0) first_byte_s = seconds_since(start);
    out.write(chunk.data(), static_cast<std::streamsize>(chunk.size()));
    bytes += chunk.size();
    return osslive::Status{};
  });
  const double segment_s = seconds_since(start);
  if (!status.ok()) return fail(status.error().to_string());
  const auto& segment = plan->segments[static_cast<std::size_t>(at)];
  std::printf("probe_s=%.3f segment_s=%.3f first_byte_s=%.3f bytes=%llu start_s=%.6f duration_s=%.6f segments=%zu index=%lld\n", probe_s,
              segment_s, first_byte_s, static_cast<unsigned long long>(bytes), segment.start.to_double(), segment.duration.to_double(),
              plan->segments.size(), static_cast<long long>(at));
  return 0;
}
