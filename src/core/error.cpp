#include "osslive/core/error.hpp"

#include <array>
#include <cstddef>

namespace osslive {
namespace {

struct Row {
  Errc errc;
  ErrorInfo info;
};

// The only place where an error's status, OSS Code, EC and wording are decided.
constexpr std::array kErrorTable{
    Row{Errc::AccessDenied, {403, "AccessDenied", "0003-00000001", "You have no right to access this object."}},
    Row{Errc::BucketAlreadyExists, {409, "BucketAlreadyExists", "0015-00000001", "The requested bucket name is not available."}},
    Row{Errc::BucketNotEmpty, {409, "BucketNotEmpty", "0015-00000301", "The bucket you tried to delete is not empty."}},
    Row{Errc::EntityTooLarge, {400, "EntityTooLarge", "0005-00000001", "Your proposed upload exceeds the maximum allowed size."}},
    Row{Errc::EntityTooSmall, {400, "EntityTooSmall", "0005-00000002", "Your proposed upload is smaller than the minimum allowed size."}},
    Row{Errc::FileAlreadyExists, {409, "FileAlreadyExists", "0026-00000010", "The key conflicts with an existing object or folder."}},
    Row{Errc::InternalError, {500, "InternalError", "0001-00000001", "We encountered an internal error. Please try again."}},
    Row{Errc::InvalidAccessKeyId, {403, "InvalidAccessKeyId", "0002-00000902", "The OSS Access Key Id you provided does not exist in our records."}},
    Row{Errc::InvalidArgument, {400, "InvalidArgument", "0017-00000001", "Invalid argument."}},
    Row{Errc::InvalidBucketName, {400, "InvalidBucketName", "0015-00000201", "The specified bucket is not valid."}},
    Row{Errc::InvalidDigest, {400, "InvalidDigest", "0016-00000301", "The Content-MD5 you specified is not valid."}},
    Row{Errc::InvalidObjectName, {400, "InvalidObjectName", "0016-00000005", "The specified object is not valid."}},
    Row{Errc::InvalidPart, {400, "InvalidPart", "0042-00000101", "One or more of the specified parts could not be found or the specified entity tag might not have matched the part's entity tag."}},
    Row{Errc::InvalidPartOrder, {400, "InvalidPartOrder", "0042-00000102", "The list of parts was not in ascending order. Parts must be ordered by part number."}},
    Row{Errc::InvalidRequest, {400, "InvalidRequest", "0017-00000002", "Invalid request."}},
    Row{Errc::MalformedXML, {400, "MalformedXML", "0017-00000101", "The XML you provided was not well-formed or did not validate against our published schema."}},
    Row{Errc::MethodNotAllowed, {405, "MethodNotAllowed", "0017-00000201", "The specified method is not allowed against this resource."}},
    Row{Errc::MissingContentLength, {411, "MissingContentLength", "0017-00000301", "You must provide the Content-Length HTTP header."}},
    Row{Errc::NoSuchBucket, {404, "NoSuchBucket", "0015-00000101", "The specified bucket does not exist."}},
    Row{Errc::NoSuchCORSConfiguration, {404, "NoSuchCORSConfiguration", "0015-00000501", "The CORS configuration does not exist."}},
    Row{Errc::NoSuchKey, {404, "NoSuchKey", "0026-00000001", "The specified key does not exist."}},
    Row{Errc::NoSuchUpload, {404, "NoSuchUpload", "0042-00000002", "The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed."}},
    Row{Errc::NotImplemented, {501, "NotImplemented", "0017-00000401", "A header or parameter you provided implies functionality that is not implemented."}},
    Row{Errc::NotModified, {304, "NotModified", "0026-00000002", "Not Modified."}},
    Row{Errc::PreconditionFailed, {412, "PreconditionFailed", "0026-00000003", "At least one of the pre-conditions you specified did not hold."}},
    Row{Errc::RequestTimeout, {400, "RequestTimeout", "0017-00000501", "Your socket connection to the server was not read from or written to within the timeout period."}},
    Row{Errc::RequestTimeTooSkewed, {403, "RequestTimeTooSkewed", "0002-00000504", "The difference between the request time and the current time is too large."}},
    Row{Errc::ServiceUnavailable, {503, "ServiceUnavailable", "0001-00000503", "Please reduce your request rate."}},
    Row{Errc::SignatureDoesNotMatch, {403, "SignatureDoesNotMatch", "0002-00000040", "The request signature we calculated does not match the signature you provided. Check your key and signing method."}},
    Row{Errc::SlowDown, {503, "SlowDown", "0001-00000504", "Transcoding capacity is exhausted. Please retry later."}},
    Row{Errc::SourceChanged, {409, "SourceChanged", "0050-00000001", "The source object changed after the playlist was generated. Generate the playlist again."}},
    Row{Errc::InsufficientStorage, {507, "InsufficientStorage", "0001-00000507", "There is not enough space left on the storage device."}},
    Row{Errc::MissingArgument, {400, "MissingArgument", "0016-00000606", "Missing Some Required Arguments."}},
};

constexpr bool table_is_in_enum_order() {
  for (std::size_t i = 0; i < kErrorTable.size(); ++i)
    if (static_cast<std::size_t>(kErrorTable[i].errc) != i) return false;
  return true;
}
static_assert(table_is_in_enum_order(), "kErrorTable rows must follow the Errc order");

}  // namespace

const ErrorInfo& error_info(Errc code) { return kErrorTable[static_cast<std::size_t>(code)].info; }

Error::Error(Errc code, std::string message) : code_(code), message_(std::move(message)) {
  if (message_.empty()) message_ = std::string(error_info(code).message);
}

Error& Error::with(std::string name, std::string value) & {
  fields_.emplace_back(std::move(name), std::move(value));
  return *this;
}

Error&& Error::with(std::string name, std::string value) && {
  fields_.emplace_back(std::move(name), std::move(value));
  return std::move(*this);
}

Error&& Error::context(std::string_view what) && {
  message_ = std::string(what) + ": " + message_;
  return std::move(*this);
}

std::string Error::to_string() const { return std::string(error_info(code_).code) + ": " + message_; }

Error invalid_argument(std::string_view name, std::string_view rule, std::string_view value) {
  std::string message;
  message.append(name).append(" ").append(rule).append(", got ");
  message.append(value.empty() ? std::string_view("(empty)") : value);
  return Error(Errc::InvalidArgument, std::move(message))
      .with("ArgumentName", std::string(name))
      .with("ArgumentValue", std::string(value));
}

}  // namespace osslive
