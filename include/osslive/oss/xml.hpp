#pragma once
// The little XML OSS speaks: a writer for responses and a bounded parser for request bodies
// (CompleteMultipartUpload, Delete, CORS). No attributes, namespaces or DTDs are needed.
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "osslive/core/result.hpp"

namespace osslive::oss {

std::string xml_escape(std::string_view text);

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
