#include "osslive/media/logging.hpp"

extern "C" {
#include <libavutil/log.h>
}

#include <spdlog/spdlog.h>

#include <cstdarg>
#include <string_view>

namespace osslive::media {
namespace {

void forward(void* context, int level, const char* format, va_list args) {
  if (level > AV_LOG_VERBOSE || !spdlog::should_log(spdlog::level::debug)) return;
  char line[1024];
  int print_prefix = 1;
  av_log_format_line2(context, level, format, args, line, sizeof line, &print_prefix);
  std::string_view text(line);
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.remove_suffix(1);
  if (!text.empty()) spdlog::debug("libav: {}", text);
}

}  // namespace

void route_libav_logs_to_spdlog() { av_log_set_callback(forward); }

}  // namespace osslive::media
