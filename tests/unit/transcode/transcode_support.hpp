#pragma once
// Test support for the segment transcoder: media made by the ffmpeg CLI, playlists made by the
// real probe -> resolve -> plan path, segments read back with ffprobe.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>
#include <string>
#include <vector>

extern "C" {
#include <libavutil/log.h>
}

#include "osslive/hls/manifest.hpp"
#include "osslive/hls/plan.hpp"
#include "osslive/media/probe.hpp"
#include "osslive/transcode/segment_transcoder.hpp"

namespace osslive::transcode::testing {

namespace fs = std::filesystem;

inline const fs::path& work_dir() {
  static const fs::path dir = [] {
    fs::path d = fs::temp_directory_path() / ("osslive-transcode-" + std::to_string(::getpid()));
    fs::create_directories(d);
    return d;
  }();
  return dir;
}

// The media made for the tests goes when the test binary ends (kept with OSSLIVE_KEEP_MEDIA set,
// as the client tests do, to look at what failed).
class RemoveWorkDir : public ::testing::Environment {
 public:
  void TearDown() override {
    if (std::getenv("OSSLIVE_KEEP_MEDIA") != nullptr) {
      std::printf("media kept in %s\n", work_dir().c_str());
      return;
    }
    std::error_code ignored;
    fs::remove_all(work_dir(), ignored);
  }
};
inline ::testing::Environment* const kRemoveWorkDir = ::testing::AddGlobalTestEnvironment(new RemoveWorkDir);

// libav's per-encoder statistics would drown the test output.
inline const bool kQuietLibav = [] {
  av_log_set_level(AV_LOG_ERROR);
  return true;
}();

inline bool run(const std::string& command) { return std::system(command.c_str()) == 0; }

inline std::string capture(const std::string& command) {
  std::string out;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return out;
  char buffer[65536];
  std::size_t n;
  while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) out.append(buffer, n);
  ::pclose(pipe);
  return out;
}

inline std::string ffmpeg() { return "ffmpeg -hide_banner -loglevel error -nostdin -y "; }

inline std::shared_ptr<const FileHandle> open_file(const fs::path& path) {
  auto handle = FileHandle::open_read(path);
  if (!handle.ok()) return nullptr;
  return std::make_shared<const FileHandle>(std::move(handle).value());
}

struct Playlist {
  hls::Manifest manifest;
  hls::SegmentPlan plan;
};

inline Result<Playlist> make_playlist(const fs::path& source, const process::HlsM3u8& request) {
  auto file = open_file(source);
  if (!file) return Error(Errc::InternalError, "cannot open " + source.string());
  OSSLIVE_ASSIGN(media::SourceInfo info, media::probe(file));
  Playlist p;
  OSSLIVE_ASSIGN(p.manifest.params, hls::resolve(request, info));
  OSSLIVE_ASSIGN(p.plan, hls::make_plan(p.manifest.params));
  return p;
}

inline Result<std::string> make_segment(const Playlist& p, const fs::path& source, std::int64_t index,
                                        const TranscodeOptions& options = {}) {
  std::string bytes;
  Status status = transcode_segment(p.manifest, p.plan, index, open_file(source), options, [&](std::string_view chunk) {
    bytes.append(chunk);
    return Status{};
  });
  if (!status.ok()) return std::move(status).error();
  return bytes;
}

// Every segment, made in a shuffled order (fixed seed), stored at its index.
inline Result<std::vector<std::string>> make_all(const Playlist& p, const fs::path& source, const TranscodeOptions& options = {}) {
  std::vector<std::int64_t> order(p.plan.segments.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = static_cast<std::int64_t>(i);
  std::shuffle(order.begin(), order.end(), std::mt19937(20240611));
  std::vector<std::string> out(order.size());
  for (std::int64_t i : order) {
    OSSLIVE_ASSIGN(out[static_cast<std::size_t>(i)], make_segment(p, source, i, options));
  }
  return out;
}

inline fs::path write_file(const std::string& name, const std::string& bytes) {
  fs::path path = work_dir() / name;
  std::ofstream(path, std::ios::binary) << bytes;
  return path;
}

struct PacketInfo {
  std::int64_t pts = 0;
  std::int64_t dts = 0;
  bool key = false;
};

struct StreamPackets {
  std::vector<PacketInfo> video;  // decoding order
  std::vector<PacketInfo> audio;
  int width = 0, height = 0;
  std::string video_codec, pix_fmt;
  int sample_rate = 0, channels = 0;
};

inline StreamPackets probe_ts(const fs::path& ts) {
  StreamPackets out;
  auto j = nlohmann::json::parse(
      capture("ffprobe -v error -show_entries packet=codec_type,pts,dts,flags:stream=codec_type,codec_name,width,height,"
              "pix_fmt,sample_rate,channels -of json '" + ts.string() + "'"),
      nullptr, false);
  if (j.is_discarded()) return out;
  for (const auto& s : j.value("streams", nlohmann::json::array())) {
    if (s.value("codec_type", "") == "video") {
      out.width = s.value("width", 0);
      out.height = s.value("height", 0);
      out.video_codec = s.value("codec_name", "");
      out.pix_fmt = s.value("pix_fmt", "");
    } else if (s.value("codec_type", "") == "audio") {
      out.sample_rate = std::stoi(s.value("sample_rate", "0"));
      out.channels = s.value("channels", 0);
    }
  }
  for (const auto& p : j.value("packets", nlohmann::json::array())) {
    PacketInfo info;
    info.pts = p.value("pts", std::int64_t{-1});
    info.dts = p.value("dts", std::int64_t{-1});
    info.key = p.value("flags", "").find('K') != std::string::npos;
    (p.value("codec_type", "") == "video" ? out.video : out.audio).push_back(info);
  }
  return out;
}

inline std::int64_t min_pts(const std::vector<PacketInfo>& packets) {
  std::int64_t m = INT64_MAX;
  for (const auto& p : packets) m = std::min(m, p.pts);
  return m;
}
inline std::int64_t max_pts(const std::vector<PacketInfo>& packets) {
  std::int64_t m = INT64_MIN;
  for (const auto& p : packets) m = std::max(m, p.pts);
  return m;
}

}  // namespace osslive::transcode::testing
