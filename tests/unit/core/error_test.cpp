#include "osslive/core/error.hpp"

#include <gtest/gtest.h>

#include "osslive/core/result.hpp"

namespace osslive {
namespace {

TEST(ErrorTable, MapsEachCodeToStatusAndOssCode) {
  EXPECT_EQ(error_info(Errc::NoSuchKey).http_status, 404);
  EXPECT_EQ(error_info(Errc::NoSuchKey).code, "NoSuchKey");
  EXPECT_EQ(error_info(Errc::NoSuchKey).ec, "0026-00000001");
  EXPECT_EQ(error_info(Errc::SignatureDoesNotMatch).http_status, 403);
  EXPECT_EQ(error_info(Errc::MissingContentLength).http_status, 411);
  EXPECT_EQ(error_info(Errc::BucketNotEmpty).http_status, 409);
  EXPECT_EQ(error_info(Errc::SlowDown).http_status, 503);
  EXPECT_EQ(error_info(Errc::NotModified).http_status, 304);
  EXPECT_EQ(error_info(Errc::PreconditionFailed).http_status, 412);
}

TEST(ErrorTable, EveryRowHasCodeEcAndMessage) {
  for (int i = 0; i <= static_cast<int>(Errc::InsufficientStorage); ++i) {
    const ErrorInfo& info = error_info(static_cast<Errc>(i));
    EXPECT_FALSE(info.code.empty()) << i;
    EXPECT_EQ(info.ec.size(), 13u) << info.code;
    EXPECT_FALSE(info.message.empty()) << info.code;
    EXPECT_GE(info.http_status, 300) << info.code;
  }
}

TEST(Error, InvalidArgumentNamesParameterRuleAndValue) {
  Error e = invalid_argument("st", "must be in [5000, 15000]", "300");
  EXPECT_EQ(e.code(), Errc::InvalidArgument);
  EXPECT_EQ(e.message(), "st must be in [5000, 15000], got 300");
  ASSERT_EQ(e.fields().size(), 2u);
  EXPECT_EQ(e.fields()[0], (std::pair<std::string, std::string>{"ArgumentName", "st"}));
  EXPECT_EQ(e.fields()[1], (std::pair<std::string, std::string>{"ArgumentValue", "300"}));
}

TEST(Error, ContextBuildsACauseChain) {
  Error e = Error(Errc::InternalError, "disk on fire").context("writing segment 3");
  EXPECT_EQ(e.message(), "writing segment 3: disk on fire");
  EXPECT_EQ(e.to_string(), "InternalError: writing segment 3: disk on fire");
}

Result<int> half(int x) {
  if (x % 2) return Error(Errc::InvalidArgument, "odd");
  return x / 2;
}

Result<int> quarter(int x) {
  OSSLIVE_ASSIGN(int h, half(x));
  return half(h);
}

TEST(Result, PropagatesErrorsAndValues) {
  EXPECT_EQ(*quarter(8), 2);
  auto r = quarter(6);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message(), "odd");
}

}  // namespace
}  // namespace osslive
