#pragma once
// The little XML OSS speaks: a writer for responses and a bounded parser for request bodies
// (CompleteMultipartUpload, Delete, CORS). No attributes, namespaces or DTDs are needed.
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "osslive/core/http_message.hpp"
#include "osslive/core/result.hpp"

namespace osslive::oss {

// Text as XML character data. Characters XML 1.0 does not allow anywhere (C0 controls but TAB,
// LF and CR; U+FFFE, U+FFFF; bytes that are not UTF-8) become U+FFFD, so a document is always
// well-formed; CR is written as &#13; so that it reaches the reader as CR.
std::string xml_escape(std::string_view text);
// Whether xml_escape keeps `text` as it is (nothing replaced).
bool xml_can_carry(std::string_view text);

class XmlWriter;

// Keys (prefixes, markers) echoed in a response. OSS url-encodes them when the request says
// encoding-type=url. A key XML cannot carry (a control character: OSS accepts such keys) is
// url-encoded too, with the same <EncodingType>url</EncodingType> a client that asked would get,
// rather than altered or written into a document no XML parser reads.
class KeyEncoding {
 public:
  // InvalidArgument for an encoding-type other than url.
  static Result<KeyEncoding> from_query(const Query& query);
  // Switches the whole response to url encoding when `text` cannot be carried as it is.
  void cover(std::string_view text);
  bool url() const { return url_; }
  std::string operator()(std::string_view text) const;
  // <EncodingType>url</EncodingType> when url-encoded.
  void declare(XmlWriter& xml) const;

 private:
  bool url_ = false;
};

class XmlWriter {
 public:
  XmlWriter();  // starts with the XML declaration
  XmlWriter& open(std::string_view name);
  XmlWriter& close();  // closes the innermost open element
  XmlWriter& element(std::string_view name, std::string_view text);
  XmlWriter& element(std::string_view name, std::int64_t value);
  std::string finish();  // closes every open element

 private:
  std::string out_;
  std::vector<std::string> open_;
};

struct XmlNode {
  std::string name;
  std::string text;  // concatenated character data, entities decoded
  std::vector<XmlNode> children;

  const XmlNode* child(std::string_view child_name) const;
  std::vector<const XmlNode*> children_named(std::string_view child_name) const;
  std::string child_text(std::string_view child_name) const;  // "" when absent
};

struct XmlLimits {
  std::size_t max_bytes = 1 << 20;
  int max_depth = 16;
  std::size_t max_nodes = 100'000;
};

// MalformedXML on anything unexpected; never crashes or recurses past max_depth.
Result<XmlNode> parse_xml(std::string_view text, const XmlLimits& limits = {});

}  // namespace osslive::oss
