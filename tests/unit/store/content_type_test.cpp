#include "osslive/store/content_type.hpp"

#include <gtest/gtest.h>

namespace osslive::store {
namespace {

TEST(ContentType, MediaTypesFromTheBrief) {
  EXPECT_EQ(guess_content_type("v/index.m3u8"), "application/vnd.apple.mpegurl");
  EXPECT_EQ(guess_content_type("v/index-0.ts"), "video/MP2T");
  EXPECT_EQ(guess_content_type("a.mp4"), "video/mp4");
  EXPECT_EQ(guess_content_type("a.mov"), "video/quicktime");
  EXPECT_EQ(guess_content_type("a.mkv"), "video/x-matroska");
  EXPECT_EQ(guess_content_type("a.webm"), "video/webm");
  EXPECT_EQ(guess_content_type("a.flv"), "video/x-flv");
  EXPECT_EQ(guess_content_type("a.avi"), "video/x-msvideo");
  EXPECT_EQ(guess_content_type("a.mpg"), "video/mpeg");
  EXPECT_EQ(guess_content_type("a.mpeg"), "video/mpeg");
  EXPECT_EQ(guess_content_type("a.vob"), "video/mpeg");
  EXPECT_EQ(guess_content_type("a.wmv"), "video/x-ms-wmv");
  EXPECT_EQ(guess_content_type("a.asf"), "video/x-ms-asf");
  EXPECT_EQ(guess_content_type("a.rm"), "application/vnd.rn-realmedia");
  EXPECT_EQ(guess_content_type("a.mp3"), "audio/mpeg");
  EXPECT_EQ(guess_content_type("a.wav"), "audio/wav");
  EXPECT_EQ(guess_content_type("a.aac"), "audio/aac");
  EXPECT_EQ(guess_content_type("a.flac"), "audio/flac");
  EXPECT_EQ(guess_content_type("a.wma"), "audio/x-ms-wma");
  EXPECT_EQ(guess_content_type("a.m4a"), "audio/mp4");
  EXPECT_EQ(guess_content_type("a.vtt"), "text/vtt");
  EXPECT_EQ(guess_content_type("a.json"), "application/json");
  EXPECT_EQ(guess_content_type("a.xml"), "application/xml");
  EXPECT_EQ(guess_content_type("a.html"), "text/html");
  EXPECT_EQ(guess_content_type("a.txt"), "text/plain");
  EXPECT_EQ(guess_content_type("a.jpg"), "image/jpeg");
  EXPECT_EQ(guess_content_type("a.png"), "image/png");
  EXPECT_EQ(guess_content_type("a.gif"), "image/gif");
  EXPECT_EQ(guess_content_type("a.js"), "application/javascript");
  EXPECT_EQ(guess_content_type("a.css"), "text/css");
}

TEST(ContentType, ExtensionIsCaseInsensitive) {
  EXPECT_EQ(guess_content_type("MOVIE.M3U8"), "application/vnd.apple.mpegurl");
  EXPECT_EQ(guess_content_type("Seg.Ts"), "video/MP2T");
}

TEST(ContentType, OnlyTheLastComponentsExtensionCounts) {
  EXPECT_EQ(guess_content_type("dir.mp4/readme"), "application/octet-stream");
  EXPECT_EQ(guess_content_type("archive.mp4.txt"), "text/plain");
}

TEST(ContentType, UnknownOrMissingExtensionIsOctetStream) {
  EXPECT_EQ(guess_content_type(""), "application/octet-stream");
  EXPECT_EQ(guess_content_type("noext"), "application/octet-stream");
  EXPECT_EQ(guess_content_type("trailing."), "application/octet-stream");
  EXPECT_EQ(guess_content_type("a.unknownext"), "application/octet-stream");
  EXPECT_EQ(guess_content_type("dir/"), "application/octet-stream");
}

}  // namespace
}  // namespace osslive::store
