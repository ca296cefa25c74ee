#pragma once
// A fresh data directory under /tmp per test, and small helpers to look at it from outside.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include "osslive/core/clock.hpp"
#include "osslive/core/digest.hpp"
#include "osslive/core/strings.hpp"
#include "osslive/store/fs_bucket_store.hpp"

namespace osslive::store::testing {

namespace fs = std::filesystem;

inline constexpr std::int64_t kNow = 1700000000;

inline std::string md5_hex(std::string_view data) { return hex_upper(md5(data)); }

inline std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

inline void spit(const fs::path& path, std::string_view data) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(data.data(), static_cast<std::streamsize>(data.size()));
}

inline std::string read_all(const OpenObject& object) {
  std::string out(object.info.size, '\0');
  std::size_t done = 0;
  while (done < out.size()) {
    auto got = object.file->pread(out.data() + done, out.size() - done, done);
    if (!got.ok() || *got == 0) break;
    done += *got;
  }
  out.resize(done);
  return out;
}

inline PutBody body_of(std::string data) {
  PutBody body;
  body.size = data.size();
  body.data = std::move(data);
  return body;
}

class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("osslive-store-" + std::to_string(::getpid()) + "-" +
                                         ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root_);
    data_ = root_ / "data";
    fs::create_directories(data_);
    store_ = std::make_unique<FsBucketStore>(data_, clock_);
    ASSERT_TRUE(store_->recover().ok());
    ASSERT_TRUE(store_->create_bucket("bkt", "private").ok());
  }
  void TearDown() override {
    store_.reset();
    fs::remove_all(root_);
  }

  ObjectInfo put(std::string_view key, std::string data, const ObjectMeta& meta = {}) {
    auto info = store_->put_object("bkt", key, body_of(std::move(data)), meta);
    EXPECT_TRUE(info.ok()) << (info.ok() ? "" : info.error().to_string());
    return info.ok() ? *info : ObjectInfo{};
  }

  std::string get(std::string_view key) {
    auto object = store_->open_object("bkt", key);
    if (!object.ok()) return "<" + object.error().to_string() + ">";
    return read_all(*object);
  }

  FixedClock clock_{kNow};
  fs::path root_;
  fs::path data_;
  std::unique_ptr<FsBucketStore> store_;
};

}  // namespace osslive::store::testing
