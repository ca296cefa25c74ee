#include "av_raii.hpp"

namespace osslive::media {

std::string av_error_text(int errnum) {
  char buffer[AV_ERROR_MAX_STRING_SIZE] = {};
  if (av_strerror(errnum, buffer, sizeof buffer) < 0) return "libav error " + std::to_string(errnum);
  return buffer;
}

}  // namespace osslive::media
