#pragma once
// Canonical text of validated hls/m3u8 parameters; the playlist token digests (bucket, key, ETag, this).
#include <string>

#include "osslive/process/operations.hpp"

namespace osslive::process {

// "name_value" pairs joined by ',' and sorted by name, with every default written out
// (no st and st_10000 give the same text; "25.0" and "25" fps too). Only parameters that change
// the output media take part: initd and ta only schedule work, so changing them keeps the
// segments already made. Parameters that only refine another one (sopt, scaletype, arotate for s;
// fpsopt for fps; vbopt for vb; abopt for ab) appear only with it, and audio ones only with an_0.
std::string canonical_m3u8(const HlsM3u8& params);

}  // namespace osslive::process
