#include "spool_body.hpp"

#include <cerrno>

#include "osslive/core/digest.hpp"
#include "osslive/core/strings.hpp"

namespace osslive::http {

void SpoolBody::reader::init(const boost::optional<std::uint64_t>&, boost::beast::error_code& ec) {
  body_.path = body_.dir / ("body-" + hex_lower(random_bytes(12)));
  auto file = FileHandle::create_new(body_.path);
  if (!file.ok()) {
    body_.write_errno = errno;
    ec = boost::beast::http::error::body_limit;
    return;
  }
  body_.file.reset(std::move(file).value());
  ec = {};
}

bool SpoolBody::reader::write(const void* data, std::size_t size, boost::beast::error_code& ec) {
  if (!stored(body_.file.append(data, size), ec)) return false;
  body_.md5.update(data, size);
  if (body_.sha256) body_.sha256->update(data, size);
  body_.size += size;
  return true;
}

void SpoolBody::reader::finish(boost::beast::error_code& ec) {
  ec = {};
  stored(body_.file.flush(), ec);
}

bool SpoolBody::reader::stored(const Status& written, boost::beast::error_code& ec) {
  if (written.ok()) return true;
  body_.write_errno = written.error().code() == Errc::InsufficientStorage ? ENOSPC : EIO;
  ec = boost::beast::http::error::body_limit;
  return false;
}

}  // namespace osslive::http
