#pragma once
// One error table: every failure a client can cause is one Errc row, mapped to
// HTTP status, OSS error Code, OSS EC and a default message (see src/core/error.cpp).
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace osslive {

enum class Errc {
  AccessDenied,
  BucketAlreadyExists,
  BucketNotEmpty,
  EntityTooLarge,
  EntityTooSmall,
  FileAlreadyExists,       // key needs a folder where an object sits (or the reverse)
  InternalError,
  InvalidAccessKeyId,
  InvalidArgument,
  InvalidBucketName,
  InvalidDigest,
  InvalidObjectName,
  InvalidPart,
  InvalidPartOrder,
  InvalidRequest,
  MalformedXML,
  MethodNotAllowed,
  MissingContentLength,
  NoSuchBucket,
  NoSuchCORSConfiguration,
  NoSuchKey,
  NoSuchUpload,
  NotImplemented,
  NotModified,             // 304, no body
  PreconditionFailed,
  RequestTimeout,
  RequestTimeTooSkewed,
  ServiceUnavailable,
  SignatureDoesNotMatch,
  SlowDown,
  SourceChanged,           // the playlist's source object was overwritten
  InsufficientStorage,     // disk full while writing
  MissingArgument,         // a required header is absent (Content-MD5 on DeleteMultipleObjects)
};

struct ErrorInfo {
  int http_status;
  std::string_view code;     // OSS <Code>
  std::string_view ec;       // OSS <EC> and x-oss-ec
  std::string_view message;  // default <Message>
};

const ErrorInfo& error_info(Errc code);

// An error with its context. `fields` become extra XML elements of the OSS
// error body (Key, BucketName, ArgumentName, StringToSign, ...), in order.
class Error {
 public:
  Error(Errc code, std::string message = {});

  Errc code() const { return code_; }
  const std::string& message() const { return message_; }
  const std::vector<std::pair<std::string, std::string>>& fields() const { return fields_; }
  int http_status() const { return error_info(code_).http_status; }

  Error& with(std::string name, std::string value) &;
  Error&& with(std::string name, std::string value) &&;
  // Prefixes the message with what the caller was doing, so a log line reads as a cause chain.
  Error&& context(std::string_view what) &&;

  std::string to_string() const;  // "Code: message"

 private:
  Errc code_;
  std::string message_;
  std::vector<std::pair<std::string, std::string>> fields_;
};

// InvalidArgument naming the parameter, the rule it broke and the value.
Error invalid_argument(std::string_view name, std::string_view rule, std::string_view value);

}  // namespace osslive
