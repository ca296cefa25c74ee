#include "osslive/auth/dev_credentials.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>

#include "osslive/core/digest.hpp"
#include "osslive/core/strings.hpp"

namespace osslive::auth {
namespace {

Result<Credential> read_credential(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) return Error(Errc::InternalError, "cannot read " + path.string());
  auto json = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded() || !json.is_object() || !json.contains("access_key_id") || !json.contains("access_key_secret") ||
      !json["access_key_id"].is_string() || !json["access_key_secret"].is_string())
    return Error(Errc::InternalError, path.string() + " is unreadable: expected access_key_id and access_key_secret");
  return Credential{json["access_key_id"].get<std::string>(), json["access_key_secret"].get<std::string>()};
}

}  // namespace

Result<Credential> load_or_create_dev_credential(const std::filesystem::path& path) {
  std::error_code ec;
  if (std::filesystem::exists(path, ec)) return read_credential(path);
  std::filesystem::create_directories(path.parent_path(), ec);
  Credential credential{"LTAI" + to_upper(hex_lower(random_bytes(10))), base64url_encode(random_bytes(21))};
  const std::string text = nlohmann::json{{"access_key_id", credential.access_key_id},
                                          {"access_key_secret", credential.access_key_secret}}
                               .dump(2) +
                           "\n";
  // Written whole under a private name, then linked into place: link(2) fails if the name exists,
  // so a reader never sees a half-written file and the first of two servers starting at once wins.
  const std::filesystem::path temp = path.string() + ".tmp-" + hex_lower(random_bytes(6));
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return Error(Errc::InternalError, "cannot create " + temp.string() + ": " + std::strerror(errno));
  const bool written = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) && ::fsync(fd) == 0;
  const bool closed = ::close(fd) == 0;
  const int linked = written && closed ? ::link(temp.c_str(), path.c_str()) : -1;
  const int link_errno = errno;
  ::unlink(temp.c_str());
  if (linked != 0 && written && closed && link_errno == EEXIST) return read_credential(path);
  if (linked != 0) return Error(Errc::InternalError, "cannot write " + path.string() + ": " + std::strerror(link_errno));
  return credential;
}

}  // namespace osslive::auth
