#pragma once
// The verifier every Verifier test runs against: the vector credentials, a FixedClock at the
// vectors' signing time and the default region.
#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "osslive/auth/verifier.hpp"
#include "test_request.hpp"

namespace osslive::auth::testing {

inline constexpr std::string_view kDate = "Sun, 03 Dec 2023 12:12:12 GMT";
inline constexpr std::string_view kHost = "http://examplebucket.oss-cn-hangzhou.aliyuncs.com";

inline std::string url(std::string_view path_and_query) { return std::string(kHost) + std::string(path_and_query); }

inline std::string field(const Error& error, std::string_view name) {
  for (const auto& [key, value] : error.fields())
    if (key == name) return value;
  return "<absent>";
}

class VerifierTest : public ::testing::Test {
 protected:
  Result<Identity> verify(const TestRequest& request) const { return verifier_.verify(request.view()); }

  void expect_error(const TestRequest& request, Errc code, const std::string& what = {}) const {
    auto identity = verify(request);
    ASSERT_FALSE(identity.ok()) << what;
    EXPECT_EQ(identity.error().code(), code) << what << ": " << identity.error().to_string();
  }

  StaticCredentials credentials_{{{std::string(kAk), std::string(kSk)}, {"other", "other-secret"}}};
  FixedClock clock_{kNow};
  VerifierOptions options_{15 * 60, "oss-cn-hangzhou"};
  Verifier verifier_{credentials_, clock_, options_};
};

}  // namespace osslive::auth::testing
