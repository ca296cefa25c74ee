#pragma once
// Typed x-oss-process operations (docs/api.md, "Live transcoding"). Parsing validates every value, range and
// pairing rule; resolution against a probed source happens later (hls module).
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace osslive::process {

// hls/m3u8: every parameter as the user gave it (optional = not given).
struct HlsM3u8 {
  std::int64_t ss_ms = 0;
  std::int64_t t_ms = 0;        // 0: to the end
  std::int64_t st_ms = 10'000;  // [5000, 15000]
  std::int64_t initd_ms = 30'000;
  std::optional<int> ta;        // [10, 30]
  std::string vcodec = "h264";  // h264 | h265
  std::optional<std::string> fps;  // decimal text as given, > 0, e.g. "25", "29.97"
  std::optional<int> fpsopt;       // 0 | 1 | 2, needs fps (default 1)
  std::optional<std::string> pixfmt;
  std::optional<int> width, height;  // s_WxH: even, 64..4096
  std::optional<int> sopt;           // 0 | 1 | 2, needs s (default 1)
  std::optional<std::string> scaletype;  // stretch | crop | fill | fit, needs s
  int arotate = 0;                       // 0 | 1
  std::optional<std::int64_t> vb;        // bit/s
  std::optional<int> vbopt;              // needs vb (default 1)
  std::optional<std::int64_t> crf_hundredths;  // crf [0, 51] in 1/100, exclusive with vb
  std::optional<std::int64_t> maxrate, bufsize;  // together, only with crf (or default crf)
  bool an = false;
  std::string acodec = "aac";
  std::optional<int> ar;                 // one of the listed rates
  std::optional<int> ac;                 // [1, 8]
  std::optional<int> aq;                 // [0, 100], exclusive with ab
  std::optional<std::int64_t> ab;        // [1000, 10000000]
  std::optional<int> abopt;              // needs ab (default 1)
  // Extension (osslive extension, docs/api.md): shorter first segments, e.g. initseg_2000-2000-4000.
  std::vector<std::int64_t> initseg_ms;
};

struct SaveAs {
  std::string object;                 // decoded from o_ (base64)
  std::optional<std::string> bucket;  // decoded from b_ (base64)
};

struct HlsSign {
  bool live = false;  // live_1
};

struct HlsTs {
  std::optional<std::string> from;  // playlist key, decoded from from_ (base64)
};

// Extension (osslive extension, opt-in): the state of every segment of a playlist, as JSON.
struct HlsStatus {};

struct Step;
// if_status_eq_404{...}: run the inner steps only when the object does not exist.
struct IfStatusEq404 {
  std::vector<Step> body;
};

struct Step {
  std::variant<HlsM3u8, SaveAs, HlsSign, HlsTs, IfStatusEq404, HlsStatus> op;
};

using Chain = std::vector<Step>;

// The request shapes osslive serves, recognised from a parsed chain.
struct M3u8AndSave {  // POST source?x-oss-process=hls/m3u8,...|sys/saveas,...
  HlsM3u8 m3u8;
  SaveAs save;
};
struct SignPlaylist {  // GET playlist?x-oss-process=hls/sign[,live_1]
  HlsSign sign;
};
struct TsOnMissing {  // GET segment?x-oss-process=if_status_eq_404{hls/ts,...} (or bare hls/ts)
  HlsTs ts;
};
struct PlaylistStatus {};  // GET playlist?x-oss-process=hls/status (osslive extension)
using Operation = std::variant<M3u8AndSave, SignPlaylist, TsOnMissing, PlaylistStatus>;

}  // namespace osslive::process
