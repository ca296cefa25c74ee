#pragma once
// A Beast body that streams a request body into a temp file while hashing it, so a
// 2 GB upload never sits in memory and its MD5 (and SHA-256, when asked for) is known when the
// last byte lands.
#include <boost/beast/core/buffers_range.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/optional.hpp>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "osslive/core/digest.hpp"
#include "osslive/core/file_handle.hpp"

namespace osslive::http {

struct SpoolBody {
  struct value_type {
    std::filesystem::path dir;   // set before reading starts
    std::filesystem::path path;  // the temp file, once created
    BufferedFileWriter file;  // the temp file, written in large pieces
    Md5 md5;
    std::optional<Sha256> sha256;  // set before reading starts when the request states one
    std::uint64_t size = 0;
    int write_errno = 0;  // the failure behind a write error, for the response
  };

  class reader {
   public:
    template <bool isRequest, class Fields>
    reader(boost::beast::http::header<isRequest, Fields>&, value_type& body) : body_(body) {}

    void init(const boost::optional<std::uint64_t>&, boost::beast::error_code& ec);

    template <class ConstBufferSequence>
    std::size_t put(const ConstBufferSequence& buffers, boost::beast::error_code& ec) {
      std::size_t total = 0;
      for (auto buffer : boost::beast::buffers_range_ref(buffers)) {
        if (!write(buffer.data(), buffer.size(), ec)) return total;
        total += buffer.size();
      }
      ec = {};
      return total;
    }

    void finish(boost::beast::error_code& ec);

   private:
    bool write(const void* data, std::size_t size, boost::beast::error_code& ec);
    // Turns a failed write into the parser error that makes the session answer with write_errno.
    bool stored(const Status& written, boost::beast::error_code& ec);
    value_type& body_;
  };
};

}  // namespace osslive::http
