#pragma once
// Reads a source's container and stream parameters without decoding it all.
#include <memory>

#include "osslive/core/file_handle.hpp"
#include "osslive/core/result.hpp"
#include "osslive/media/source_info.hpp"

namespace osslive::media {

// Probes the pinned file (reads go through pread on its descriptor, so an overwrite of the
// object while probing cannot change the bytes). Errors are InvalidArgument: not a media file,
// no audio and no video, unknown duration, or a ProbeLimits bound exceeded (named in the message).
Result<SourceInfo> probe(std::shared_ptr<const FileHandle> file, const ProbeLimits& limits = {});

}  // namespace osslive::media
