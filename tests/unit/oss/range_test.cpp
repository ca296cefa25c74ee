#include "osslive/oss/range.hpp"

#include <gtest/gtest.h>

namespace osslive::oss {
namespace {

struct RangeCase {
  const char* header;
  std::uint64_t size;
  bool valid;
  std::uint64_t first, last;
};

TEST(Range, SingleRangesAndEverythingElseIsTheWholeObject) {
  const RangeCase cases[] = {
      {"bytes=0-9", 100, true, 0, 9},
      {"bytes=10-", 100, true, 10, 99},
      {"bytes=-10", 100, true, 90, 99},
      {"bytes=-1000", 100, true, 0, 99},   // suffix longer than the object: all of it
      {"bytes=50-1000", 100, true, 50, 99},  // end past the object: clamped
      {"bytes=99-99", 100, true, 99, 99},
      {"BYTES=1-2", 100, true, 1, 2},
      {"bytes=100-", 100, false, 0, 0},    // starts past the end
      {"bytes=5-4", 100, false, 0, 0},
      {"bytes=0-1,5-6", 100, false, 0, 0},  // several ranges: OSS serves the whole object
      {"bytes=-0", 100, false, 0, 0},
      {"bytes=a-b", 100, false, 0, 0},
      {"items=0-1", 100, false, 0, 0},
      {"bytes=0-0", 0, false, 0, 0},
      {"bytes=", 100, false, 0, 0},
      {"bytes=-", 100, false, 0, 0},
      {"bytes=18446744073709551615-", 100, false, 0, 0},
  };
  for (const auto& c : cases) {
    auto range = parse_range(c.header, c.size);
    EXPECT_EQ(range.has_value(), c.valid) << c.header;
    if (range && c.valid) {
      EXPECT_EQ(range->first, c.first) << c.header;
      EXPECT_EQ(range->last, c.last) << c.header;
    }
  }
}

Headers with(std::initializer_list<std::pair<const char*, const char*>> fields) {
  Headers h;
  for (auto& [k, v] : fields) h.add(k, v);
  return h;
}

constexpr std::int64_t kModified = 784111777;  // Sun, 06 Nov 1994 08:49:37 GMT

TEST(Preconditions, FollowRfc7232Order) {
  const char* etag = "D41D8CD98F00B204E9800998ECF8427E";
  EXPECT_EQ(evaluate_preconditions(with({}), etag, kModified), Precondition::Proceed);
  EXPECT_EQ(evaluate_preconditions(with({{"If-Match", "\"D41D8CD98F00B204E9800998ECF8427E\""}}), etag, kModified),
            Precondition::Proceed);
  EXPECT_EQ(evaluate_preconditions(with({{"If-Match", "\"d41d8cd98f00b204e9800998ecf8427e\""}}), etag, kModified),
            Precondition::Proceed);
  EXPECT_EQ(evaluate_preconditions(with({{"If-Match", "\"AAA\", *"}}), etag, kModified), Precondition::Proceed);
  EXPECT_EQ(evaluate_preconditions(with({{"If-Match", "\"AAA\""}}), etag, kModified), Precondition::Failed);
  EXPECT_EQ(evaluate_preconditions(with({{"If-None-Match", "W/\"D41D8CD98F00B204E9800998ECF8427E\""}}), etag,
                                   kModified),
            Precondition::NotModified);
  EXPECT_EQ(evaluate_preconditions(with({{"If-None-Match", "\"AAA\""}}), etag, kModified), Precondition::Proceed);
  EXPECT_EQ(evaluate_preconditions(with({{"If-Modified-Since", "Sun, 06 Nov 1994 08:49:37 GMT"}}), etag, kModified),
            Precondition::NotModified);
  EXPECT_EQ(evaluate_preconditions(with({{"If-Modified-Since", "Sun, 06 Nov 1994 08:49:36 GMT"}}), etag, kModified),
            Precondition::Proceed);
  EXPECT_EQ(evaluate_preconditions(with({{"If-Unmodified-Since", "Sun, 06 Nov 1994 08:49:36 GMT"}}), etag, kModified),
            Precondition::Failed);
  EXPECT_EQ(evaluate_preconditions(with({{"If-Unmodified-Since", "Sun, 06 Nov 1994 08:49:37 GMT"}}), etag, kModified),
            Precondition::Proceed);
  // If-Match wins over If-Unmodified-Since; If-None-Match over If-Modified-Since.
  EXPECT_EQ(evaluate_preconditions(with({{"If-Match", "*"}, {"If-Unmodified-Since", "Sun, 06 Nov 1994 08:49:36 GMT"}}),
                                   etag, kModified),
            Precondition::Proceed);
  EXPECT_EQ(evaluate_preconditions(with({{"If-None-Match", "\"AAA\""},
                                         {"If-Modified-Since", "Sun, 06 Nov 1994 08:49:37 GMT"}}),
                                   etag, kModified),
            Precondition::Proceed);
  // An unparsable date is ignored, as RFC 7232 says.
  EXPECT_EQ(evaluate_preconditions(with({{"If-Modified-Since", "yesterday"}}), etag, kModified), Precondition::Proceed);
}

}  // namespace
}  // namespace osslive::oss
