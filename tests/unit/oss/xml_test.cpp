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
