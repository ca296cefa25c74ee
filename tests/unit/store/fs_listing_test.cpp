#include <algorithm>

#include "store_fixture.hpp"

namespace osslive::store::testing {
namespace {

using Strings = std::vector<std::string>;

// No key is both an object and a folder ("b/" and "b//c" would be), see ObjectAndFolderOfTheSameNameConflict.
const Strings kKeys = {"a-c",   "a/",     "a/b",     "a/c!", "a/c/d",      "a/c/e",     "a0",
                       "b//",   "b//c",   "b/x/",    "c%d",  "c%e/f",      "d/é.txt",   "d/視",
                       "e\x01z", "f.ts",  "g/h/i/j/k", "g/h/i/j/l", "g/h2", "z"};

bool starts_with(const std::string& s, const std::string& p) { return s.compare(0, p.size(), p) == 0; }

// ListObjects over a sorted key list, straight from the OSS definition.
ListResult reference(const Strings& sorted, const ListRequest& request) {
  ListResult out;
  std::size_t count = 0;
  std::string last_prefix;
  std::string last;
  for (const std::string& key : sorted) {
    if (!starts_with(key, request.prefix)) continue;
    if (!request.marker.empty() && key <= request.marker) continue;
    std::string common;
    if (!request.delimiter.empty()) {
      std::size_t at = key.find(request.delimiter, request.prefix.size());
      if (at != std::string::npos) common = key.substr(0, at + request.delimiter.size());
    }
    if (!common.empty() && ((!request.marker.empty() && common <= request.marker) || common == last_prefix)) continue;
    if (count == static_cast<std::size_t>(request.max_keys)) {
      out.truncated = true;
      out.next_marker = last;
      break;
    }
    ++count;
    if (!common.empty()) {
      out.common_prefixes.push_back(common);
      last_prefix = last = common;
    } else {
      ObjectInfo info;
      info.key = key;
      out.objects.push_back(info);
      last = key;
    }
  }
  return out;
}

Strings keys_of(const ListResult& result) {
  Strings out;
  for (const auto& o : result.objects) out.push_back(o.key);
  return out;
}

class ListingTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    for (const std::string& key : kKeys) put(key, "body of " + key);
    // Not objects: an empty folder, a name no key encodes to, an orphan sidecar.
    fs::create_directories(data_ / "bkt" / "empty" / "sub");
    spit(data_ / "bkt" / "100%.txt", "junk");
    spit(data_ / "bkt" / ".%m.orphan", "{}");
  }

  ListResult list(std::string prefix, std::string delimiter = "", std::string marker = "", int max_keys = 1000) {
    ListRequest request;
    request.prefix = std::move(prefix);
    request.delimiter = std::move(delimiter);
    request.marker = std::move(marker);
    request.max_keys = max_keys;
    auto result = store_->list_objects("bkt", request);
    EXPECT_TRUE(result.ok()) << result.error().to_string();
    return result.ok() ? *result : ListResult{};
  }
};

TEST_F(ListingTest, WholeBucketComesInKeyByteOrder) {
  ListResult all = list("");
  EXPECT_EQ(keys_of(all), kKeys);
  EXPECT_TRUE(all.common_prefixes.empty());
  EXPECT_FALSE(all.truncated);
  EXPECT_EQ(all.next_marker, "");
  ASSERT_EQ(all.objects.size(), kKeys.size());
  EXPECT_EQ(all.objects[2].etag, md5_hex("body of a/b"));
  EXPECT_EQ(all.objects[2].size, std::string("body of a/b").size());
  EXPECT_EQ(all.objects[2].last_modified, kNow);
}

TEST_F(ListingTest, SlashDelimiterGroupsFoldersButNotEmptyOnes) {
  ListResult top = list("", "/");
  EXPECT_EQ(keys_of(top), (Strings{"a-c", "a0", "c%d", "e\x01z", "f.ts", "z"}));
  EXPECT_EQ(top.common_prefixes, (Strings{"a/", "b/", "c%e/", "d/", "g/"}));

  ListResult a = list("a/", "/");
  EXPECT_EQ(keys_of(a), (Strings{"a/", "a/b", "a/c!"}));
  EXPECT_EQ(a.common_prefixes, (Strings{"a/c/"}));

  ListResult b = list("b/", "/");
  EXPECT_TRUE(keys_of(b).empty());
  EXPECT_EQ(b.common_prefixes, (Strings{"b//", "b/x/"}));
  EXPECT_EQ(keys_of(list("b//", "/")), (Strings{"b//", "b//c"}));
}

TEST_F(ListingTest, PagesCountPrefixesAndResumeAfterThem) {
  ListResult first = list("", "/", "", 2);
  EXPECT_EQ(keys_of(first), (Strings{"a-c"}));
  EXPECT_EQ(first.common_prefixes, (Strings{"a/"}));
  EXPECT_TRUE(first.truncated);
  EXPECT_EQ(first.next_marker, "a/");
  ListResult second = list("", "/", first.next_marker, 2);
  EXPECT_EQ(keys_of(second), (Strings{"a0"}));
  EXPECT_EQ(second.common_prefixes, (Strings{"b/"}));
  EXPECT_EQ(second.next_marker, "b/");
  ListResult exact = list("g/h/i/j/", "", "", 2);  // exactly full: not truncated
  EXPECT_EQ(keys_of(exact), (Strings{"g/h/i/j/k", "g/h/i/j/l"}));
  EXPECT_FALSE(exact.truncated);
}

TEST_F(ListingTest, MarkerInsideAFolderAndPartialPrefixes) {
  EXPECT_EQ(keys_of(list("", "", "a/c/d")), (Strings(kKeys.begin() + 5, kKeys.end())));
  EXPECT_EQ(keys_of(list("a/c")), (Strings{"a/c!", "a/c/d", "a/c/e"}));
  EXPECT_EQ(keys_of(list("g/h")), (Strings{"g/h/i/j/k", "g/h/i/j/l", "g/h2"}));
  EXPECT_EQ(keys_of(list("d/\xc3")), (Strings{"d/é.txt"}));
  EXPECT_TRUE(keys_of(list("nothing/here/")).empty());
  EXPECT_TRUE(keys_of(list("a/../")).empty());
  EXPECT_TRUE(keys_of(list("", "", "z")).empty());
}

TEST_F(ListingTest, MatchesTheReferenceForEveryCombination) {
  Strings sorted = kKeys;
  std::sort(sorted.begin(), sorted.end());
  const Strings prefixes = {"", "a", "a/", "a/c", "a/c/", "b/", "b//", "c%", "d/", "g/h", "g/h/i/j/", "zz", "e"};
  const Strings delimiters = {"", "/", "c", "/c", "%", "h/", "//"};
  const Strings markers = {"", "a", "a/", "a/b", "a/c/", "a/c/d", "b", "b//", "c%d", "g/h/i", "z"};
  for (const auto& prefix : prefixes)
    for (const auto& delimiter : delimiters)
      for (const auto& marker : markers)
        for (int max_keys : {1, 2, 3, 1000}) {
          ListRequest request{prefix, marker, delimiter, max_keys};
          ListResult want = reference(sorted, request);
          ListResult got = list(prefix, delimiter, marker, max_keys);
          std::string where = "prefix=" + prefix + " delimiter=" + delimiter + " marker=" + marker +
                              " max=" + std::to_string(max_keys);
          ASSERT_EQ(keys_of(got), keys_of(want)) << where;
          ASSERT_EQ(got.common_prefixes, want.common_prefixes) << where;
          ASSERT_EQ(got.truncated, want.truncated) << where;
          ASSERT_EQ(got.next_marker, want.next_marker) << where;
        }
}

TEST_F(ListingTest, FollowingNextMarkerVisitsEverythingOnce) {
  for (std::string delimiter : {"", "/", "c"}) {
    ListResult whole = list("", delimiter);
    Strings keys;
    Strings prefixes;
    std::string marker;
    for (int page = 0; page < 100; ++page) {
      ListResult part = list("", delimiter, marker, 3);
      for (const auto& o : part.objects) keys.push_back(o.key);
      prefixes.insert(prefixes.end(), part.common_prefixes.begin(), part.common_prefixes.end());
      if (!part.truncated) break;
      marker = part.next_marker;
    }
    EXPECT_EQ(keys, keys_of(whole)) << delimiter;
    EXPECT_EQ(prefixes, whole.common_prefixes) << delimiter;
  }
}

TEST_F(StoreTest, ListingReadsOnlyWhatItReturns) {
  // Hand-dropped files get a sidecar when first read, which shows which ones a listing loaded.
  fs::create_directories(data_ / "bkt" / "a");
  fs::create_directories(data_ / "bkt" / "z");
  for (std::string name : {"1", "2", "3", "4", "5"}) {
    spit(data_ / "bkt" / "a" / name, name);
    spit(data_ / "bkt" / "z" / name, name);
  }
  ListRequest page;
  page.max_keys = 2;
  auto first = store_->list_objects("bkt", page);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(keys_of(*first), (Strings{"a/1", "a/2"}));
  EXPECT_TRUE(fs::exists(data_ / "bkt" / "a" / ".%m.2"));
  EXPECT_FALSE(fs::exists(data_ / "bkt" / "a" / ".%m.3"));

  ListRequest after;
  after.marker = "b";
  after.max_keys = 1;
  auto second = store_->list_objects("bkt", after);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(keys_of(*second), (Strings{"z/1"}));
  EXPECT_FALSE(fs::exists(data_ / "bkt" / "a" / ".%m.5"));
  EXPECT_FALSE(fs::exists(data_ / "bkt" / "z" / ".%m.2"));

  auto missing = store_->list_objects("nobucket", {});
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code(), Errc::NoSuchBucket);
}

}  // namespace
}  // namespace osslive::store::testing
