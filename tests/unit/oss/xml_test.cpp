#include "osslive/oss/xml.hpp"

#include <gtest/gtest.h>

namespace osslive::oss {
namespace {

TEST(XmlWriter, EscapesTextAndClosesElements) {
  XmlWriter xml;
  xml.open("Error").element("Code", "NoSuchKey").element("Key", "a<b>&\"c'").element("Size", 42);
  EXPECT_EQ(xml.finish(),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>NoSuchKey</Code>"
            "<Key>a&lt;b&gt;&amp;&quot;c&apos;</Key><Size>42</Size></Error>");
}

// Issue 18: a key with \x01 made listings and error bodies unparseable. Nothing XML 1.0 forbids
// is ever written; CR goes out as a reference so that it reaches the reader as CR.
TEST(XmlWriter, NeverWritesWhatXmlCannotCarry) {
  EXPECT_EQ(xml_escape("a\x01" "b\tc\nd\re\x7F"), "a\xEF\xBF\xBD" "b\tc\nd&#13;e\x7F");
  EXPECT_EQ(xml_escape("bad \xFF utf8 \xC0\xAF overlong \xED\xA0\x80 surrogate"),
            "bad \xEF\xBF\xBD utf8 \xEF\xBF\xBD\xEF\xBF\xBD overlong \xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD surrogate");
  EXPECT_EQ(xml_escape("\xEF\xBF\xBE"), "\xEF\xBF\xBD");  // U+FFFE
  EXPECT_EQ(xml_escape("\xE4\xB8\xAD \xF0\x9F\x8E\xAC"), "\xE4\xB8\xAD \xF0\x9F\x8E\xAC");
  EXPECT_TRUE(xml_can_carry("a\tb\r\n\xE4\xB8\xAD"));
  EXPECT_FALSE(xml_can_carry("a\x01"));
  EXPECT_FALSE(xml_can_carry("\xFF"));
  EXPECT_FALSE(xml_can_carry(std::string_view("a\0b", 3)));
}

TEST(XmlWriter, KeysXmlCannotCarryTurnTheResponseToUrlEncoding) {
  auto plain = KeyEncoding::from_query(*Query::parse("prefix=a"));
  ASSERT_TRUE(plain.ok());
  plain->cover("dir/a b.txt");
  plain->cover("c\rd");
  EXPECT_FALSE(plain->url());
  EXPECT_EQ((*plain)("dir/a b.txt"), "dir/a b.txt");
  plain->cover("dir/a\x01" "b");
  EXPECT_TRUE(plain->url());
  EXPECT_EQ((*plain)("dir/a\x01" "b c"), "dir/a%01b%20c");
  XmlWriter xml;
  xml.open("R");
  plain->declare(xml);
  EXPECT_NE(xml.finish().find("<EncodingType>url</EncodingType>"), std::string::npos);
  EXPECT_TRUE(KeyEncoding::from_query(*Query::parse("encoding-type=url"))->url());
  EXPECT_EQ(KeyEncoding::from_query(*Query::parse("encoding-type=base64")).error().code(), Errc::InvalidArgument);
}

TEST(XmlParser, RefusesCharactersXmlDoesNotAllow) {
  for (std::string_view text : {"<K>a\x01</K>", "<K>a&#x1;b</K>", "<K>&#1;</K>", "<K>&#xFFFE;</K>", "<K>&#xD800;</K>",
                                "<K>\xFF</K>", "<K>\xC0\xAF</K>"}) {
    auto root = parse_xml(text);
    ASSERT_FALSE(root.ok()) << text;
    EXPECT_EQ(root.error().code(), Errc::MalformedXML);
  }
  auto fine = parse_xml("<K>a&#13;b\tc&#x10FFFF;</K>");
  ASSERT_TRUE(fine.ok()) << fine.error().message();
  EXPECT_EQ(fine->text, "a\rb\tc\xF4\x8F\xBF\xBF");
}

TEST(XmlParser, ReadsACompleteMultipartUploadBody) {
  auto root = parse_xml(R"(<?xml version="1.0" encoding="UTF-8"?>
<!-- from ali-oss -->
<CompleteMultipartUpload xmlns="http://doc.oss-cn-hangzhou.aliyuncs.com">
  <Part>
    <PartNumber>1</PartNumber>
    <ETag>"3349DC700140D7F86A0784842780****"</ETag>
  </Part>
  <Part><PartNumber>2</PartNumber><ETag>&quot;8C315065167132444177411FDA14****&quot;</ETag></Part>
</CompleteMultipartUpload>)");
  ASSERT_TRUE(root.ok()) << root.error().message();
  EXPECT_EQ(root->name, "CompleteMultipartUpload");
  auto parts = root->children_named("Part");
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_EQ(parts[0]->child_text("PartNumber"), "1");
  EXPECT_EQ(parts[0]->child_text("ETag"), "\"3349DC700140D7F86A0784842780****\"");
  EXPECT_EQ(parts[1]->child_text("ETag"), "\"8C315065167132444177411FDA14****\"");
}

TEST(XmlParser, DecodesEntitiesAndCdata) {
  auto root = parse_xml("<Key>a&amp;b&#x4E2D;&#25991;<![CDATA[<raw>]]></Key>");
  ASSERT_TRUE(root.ok());
  EXPECT_EQ(root->text, "a&b\xE4\xB8\xAD\xE6\x96\x87<raw>");
}

TEST(XmlParser, RejectsMalformedAndHostileInput) {
  const char* bad[] = {"", "no xml", "<a>", "<a></b>", "<a><b></a></b>", "<a>&bogus;</a>", "<a>&#0;</a>",
                       "<a/><b/>", "<a><!DOCTYPE x></a>", "<a>&#x110000;</a>", "<a x=\"1></a>"};
  for (const char* text : bad) {
    auto root = parse_xml(text);
    EXPECT_FALSE(root.ok()) << text;
    if (!root.ok()) {
      EXPECT_EQ(root.error().code(), Errc::MalformedXML) << text;
    }
  }
  std::string deep;
  for (int i = 0; i < 100; ++i) deep += "<a>";
  EXPECT_FALSE(parse_xml(deep).ok());
  std::string big(2 << 20, ' ');
  EXPECT_FALSE(parse_xml("<a>" + big + "</a>").ok());
}

}  // namespace
}  // namespace osslive::oss
