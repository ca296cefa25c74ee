// Writes the hls seeds the way the service makes playlists: a process string is parsed, resolved
// against a probe result, and rendered with its manifest (corpus/hls: playlist and segment key;
// corpus/hls_json: the manifest JSON). Run from the repository root after changing the format:
//   build-fuzz/tests/fuzz/fuzz_make_seeds tests/fuzz/corpus
#include <cstdio>
#include <fstream>
#include <string>
#include <variant>

#include "../unit/probed_source.hpp"
#include "osslive/hls/manifest.hpp"
#include "osslive/hls/params.hpp"
#include "osslive/hls/plan.hpp"
#include "osslive/hls/playlist.hpp"
#include "osslive/hls/token.hpp"
#include "osslive/process/canonical.hpp"
#include "osslive/process/parser.hpp"

namespace {

using namespace osslive;

media::SourceInfo source(bool video, bool audio, media::Rational fps = {25, 1}) {
  return test_media::probed_source({.video = video, .audio = audio, .fps = fps});
}

bool write_file(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  return static_cast<bool>(out);
}

bool make(const std::string& dir, const std::string& name, const std::string& process, const media::SourceInfo& src,
          const std::string& playlist_key) {
  auto chain = process::parse_chain(process);
  if (!chain.ok()) return std::fprintf(stderr, "%s: %s\n", name.c_str(), chain.error().to_string().c_str()), false;
  auto request = process::classify(*chain);
  if (!request.ok()) return std::fprintf(stderr, "%s: %s\n", name.c_str(), request.error().to_string().c_str()), false;
  const process::HlsM3u8& m3u8 = std::get<process::M3u8AndSave>(*request).m3u8;
  auto params = hls::resolve(m3u8, src);
  if (!params.ok()) return std::fprintf(stderr, "%s: %s\n", name.c_str(), params.error().to_string().c_str()), false;

  hls::Manifest manifest;
  manifest.source = {"examplebucket", "videos/source.mp4", "5EB63BBBE01EEED093CB22BB8F5ACDC3", 1048576};
  manifest.token = hls::make_token(manifest.source.bucket, manifest.source.key, manifest.source.etag,
                                   process::canonical_m3u8(m3u8));
  manifest.params = *params;
  auto plan = hls::make_plan(manifest.params);
  if (!plan.ok()) return std::fprintf(stderr, "%s: %s\n", name.c_str(), plan.error().to_string().c_str()), false;
  return write_file(dir + "/hls/" + name + ".m3u8", hls::render_playlist(manifest, *plan, playlist_key)) &&
         write_file(dir + "/hls_json/" + name + ".json", hls::manifest_to_json(manifest)) &&
         write_file(dir + "/hls/" + name + ".ts-key", hls::segment_key(playlist_key, manifest.token, 3));
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) return std::fprintf(stderr, "usage: %s <corpus root, with hls/ and hls_json/>\n", argv[0]), 2;
  const std::string dir = argv[1];
  const std::string save = "|sys/saveas,o_b3V0L3BsYXkubTN1OA";  // out/play.m3u8
  bool ok = make(dir, "default", "hls/m3u8" + save, source(true, true), "out/play.m3u8");
  ok &= make(dir, "scaled", "hls/m3u8,st_5000,ss_1000,t_20000,s_1280x720,scaletype_fit,fps_29.97,crf_28" + save,
             source(true, true), "live/a b.m3u8");
  ok &= make(dir, "initseg", "hls/m3u8,initseg_2000-2000-4000,vcodec_h265,vb_2000000,ar_44100,ac_1,ab_96000" + save,
             source(true, true, {30000, 1001}), "hls/out.m3u8");
  ok &= make(dir, "audio-only", "hls/m3u8,st_15000,aq_60" + save, source(false, true), "audio/track.m3u8");
  ok &= make(dir, "video-only", "hls/m3u8,an_1,pixfmt_yuv420p,maxrate_3000000,bufsize_6000000" + save,
             source(true, false), "v.m3u8");
  return ok ? 0 : 1;
}
