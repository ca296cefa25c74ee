// Request-body XML (CompleteMultipartUpload, Delete, CORS): parse_xml under the default limits
// and under tight ones. An accepted tree must stay within the limits, and writing it back with
// XmlWriter and parsing again must give the same tree.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_check.hpp"
#include "osslive/oss/xml.hpp"

namespace {

using namespace osslive;
using namespace osslive::oss;

struct Shape {
  int depth = 0;
  std::size_t nodes = 0;
  bool mixed = false;  // an element with both children and text: XmlWriter has no way to write it
};

Shape measure(const XmlNode& root) {
  Shape shape;
  std::vector<std::pair<const XmlNode*, int>> stack{{&root, 1}};
  while (!stack.empty()) {
    auto [node, depth] = stack.back();
    stack.pop_back();
    ++shape.nodes;
    shape.depth = std::max(shape.depth, depth);
    if (!node->children.empty() && !node->text.empty()) shape.mixed = true;
    for (const XmlNode& child : node->children) stack.push_back({&child, depth + 1});
  }
  return shape;
}

void write(XmlWriter& writer, const XmlNode& node) {
  if (node.children.empty()) {
    writer.element(node.name, node.text);
    return;
  }
  writer.open(node.name);
  for (const XmlNode& child : node.children) write(writer, child);
  writer.close();
}

bool same(const XmlNode& a, const XmlNode& b) {
  if (a.name != b.name || a.text != b.text || a.children.size() != b.children.size()) return false;
  for (std::size_t i = 0; i < a.children.size(); ++i)
    if (!same(a.children[i], b.children[i])) return false;
  return true;
}

void check(std::string_view input, const XmlLimits& limits) {
  auto root = parse_xml(input, limits);
  if (!root.ok()) return;
  OSSLIVE_FUZZ_CHECK(input.size() <= limits.max_bytes);
  const Shape shape = measure(*root);
  OSSLIVE_FUZZ_CHECK(shape.depth <= limits.max_depth && shape.nodes <= limits.max_nodes);
  OSSLIVE_FUZZ_CHECK(!root->name.empty());
  if (shape.mixed) return;

  XmlWriter writer;
  write(writer, *root);
  XmlLimits roomy = limits;
  roomy.max_bytes = std::size_t{1} << 30;  // escaping may grow the text past the original limit
  auto again = parse_xml(writer.finish(), roomy);
  OSSLIVE_FUZZ_CHECK(again.ok() && same(*root, *again));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input = fuzz::as_text(data, size);
  check(input, XmlLimits{});
  check(input, XmlLimits{256, 3, 8});
  return 0;
}
