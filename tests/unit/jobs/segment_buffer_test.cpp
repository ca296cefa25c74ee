#include "osslive/jobs/segment_buffer.hpp"

#include <gtest/gtest.h>

#include <future>
#include <thread>

namespace osslive::jobs {
namespace {

std::string read_all(SegmentBuffer& buffer) {
  std::string out;
  std::uint64_t offset = 0;
  while (true) {
    std::promise<ByteStream::Chunk> promise;
    buffer.async_read(offset, [&](ByteStream::Chunk chunk) { promise.set_value(std::move(chunk)); });
    auto chunk = promise.get_future().get();
    if (chunk.error) return "error:" + chunk.error->message();
    if (chunk.size) out.append(chunk.bytes->data() + chunk.begin, chunk.size);
    offset += chunk.size;
    if (chunk.end) return out;
  }
}

TEST(SegmentBuffer, ReadersGetEveryByteInOrderWhileItIsWritten) {
  SegmentBuffer buffer;
  std::string early_result, late_result;
  std::thread early([&] { early_result = read_all(buffer); });
  for (int i = 0; i < 100; ++i) buffer.append(std::string(1000 + i, static_cast<char>('a' + i % 26)));
  std::thread late([&] { late_result = read_all(buffer); });
  buffer.finish();
  early.join();
  late.join();
  EXPECT_EQ(early_result.size(), 100u * 1000 + 4950);
  EXPECT_EQ(early_result, late_result);
}

TEST(SegmentBuffer, ReadFromTheMiddleOfABlock) {
  SegmentBuffer buffer;
  buffer.append("hello ");
  buffer.append("world");
  buffer.finish();
  std::string got;
  buffer.async_read(3, [&](ByteStream::Chunk c) { got.assign(c.bytes->data() + c.begin, c.size); });
  EXPECT_EQ(got, "lo ");
}

TEST(SegmentBuffer, FailureReachesReadersAfterTheWrittenBytes) {
  SegmentBuffer buffer;
  buffer.append("abc");
  buffer.fail(Error(Errc::InvalidArgument, "bad source"));
  EXPECT_EQ(read_all(buffer), "error:bad source");
  std::string first;
  buffer.async_read(0, [&](ByteStream::Chunk c) { first.assign(c.bytes->data() + c.begin, c.size); });
  EXPECT_EQ(first, "abc");
}

}  // namespace
}  // namespace osslive::jobs
