#include "osslive/oss/xml.hpp"

#include <cstdint>
#include <optional>

#include "osslive/core/strings.hpp"

namespace osslive::oss {

namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

// XML 1.0's Char production: TAB, LF, CR and U+0020..U+D7FF, U+E000..U+FFFD, U+10000..U+10FFFF.
// Nothing else may appear in a document, not even as a character reference.
bool is_xml_char(std::uint32_t cp) {
  return cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF) || (cp >= 0xE000 && cp <= 0xFFFD) ||
         (cp >= 0x10000 && cp <= 0x10FFFF);
}

// The UTF-8 code point at text[i], moving i past it; nullopt (i moved one byte) when the bytes
// there are not UTF-8 (overlong forms and surrogates included).
std::optional<std::uint32_t> next_code_point(std::string_view text, std::size_t& i) {
  auto c = static_cast<std::uint8_t>(text[i]);
  std::size_t start = i++;
  if (c < 0x80) return c;
  std::size_t extra = (c & 0xE0) == 0xC0 ? 1 : (c & 0xF0) == 0xE0 ? 2 : (c & 0xF8) == 0xF0 ? 3 : 0;
  if (extra == 0 || start + extra >= text.size()) return std::nullopt;
  std::uint32_t cp = c & (0x3F >> extra);
  for (std::size_t k = 1; k <= extra; ++k) {
    auto cc = static_cast<std::uint8_t>(text[start + k]);
    if ((cc & 0xC0) != 0x80) return std::nullopt;
    cp = (cp << 6) | (cc & 0x3F);
  }
  static constexpr std::uint32_t kMin[] = {0, 0x80, 0x800, 0x10000};
  if (cp < kMin[extra] || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) return std::nullopt;
  i = start + extra + 1;
  return cp;
}

// Byte offset of the first character XML 1.0 cannot carry (or of bytes that are not UTF-8), or npos.
std::size_t first_non_xml_char(std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    std::size_t at = i;
    auto cp = next_code_point(text, i);
    if (!cp || !is_xml_char(*cp)) return at;
  }
  return std::string_view::npos;
}

}  // namespace

std::string xml_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    std::size_t start = i;
    auto cp = next_code_point(text, i);
    if (!cp || !is_xml_char(*cp)) {
      out.append(kReplacement);
      continue;
    }
    switch (*cp) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      case '\r': out += "&#13;"; break;  // a raw CR would reach the reader as LF
      default: out.append(text.substr(start, i - start));
    }
  }
  return out;
}

bool xml_can_carry(std::string_view text) { return first_non_xml_char(text) == std::string_view::npos; }

Result<KeyEncoding> KeyEncoding::from_query(const Query& query) {
  KeyEncoding encoding;
  if (auto requested = query.get("encoding-type")) {
    if (*requested != "url") return invalid_argument("encoding-type", "must be url", *requested);
    encoding.url_ = true;
  }
  return encoding;
}

void KeyEncoding::cover(std::string_view text) { url_ = url_ || !xml_can_carry(text); }

std::string KeyEncoding::operator()(std::string_view text) const {
  return url_ ? uri_encode(text, true) : std::string(text);
}

void KeyEncoding::declare(XmlWriter& xml) const {
  if (url_) xml.element("EncodingType", "url");
}

XmlWriter::XmlWriter() : out_("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n") {}

XmlWriter& XmlWriter::open(std::string_view name) {
  out_.append("<").append(name).append(">");
  open_.emplace_back(name);
  return *this;
}

XmlWriter& XmlWriter::close() {
  out_.append("</").append(open_.back()).append(">");
  open_.pop_back();
  return *this;
}

XmlWriter& XmlWriter::element(std::string_view name, std::string_view text) {
  out_.append("<").append(name).append(">").append(xml_escape(text)).append("</").append(name).append(">");
  return *this;
}

XmlWriter& XmlWriter::element(std::string_view name, std::int64_t value) {
  return element(name, std::to_string(value));
}

std::string XmlWriter::finish() {
  while (!open_.empty()) close();
  return std::move(out_);
}

const XmlNode* XmlNode::child(std::string_view child_name) const {
  for (const auto& c : children)
    if (c.name == child_name) return &c;
  return nullptr;
}

std::vector<const XmlNode*> XmlNode::children_named(std::string_view child_name) const {
  std::vector<const XmlNode*> found;
  for (const auto& c : children)
    if (c.name == child_name) found.push_back(&c);
  return found;
}

std::string XmlNode::child_text(std::string_view child_name) const {
  const XmlNode* c = child(child_name);
  return c ? c->text : std::string();
}

namespace {

class Parser {
 public:
  Parser(std::string_view text, const XmlLimits& limits) : text_(text), limits_(limits) {}

  Result<XmlNode> document() {
    if (text_.size() > limits_.max_bytes) return malformed("body larger than " + std::to_string(limits_.max_bytes));
    // Whatever is read may be written back (a key, a CORS rule): only what XML can carry.
    if (auto bad = first_non_xml_char(text_); bad != std::string_view::npos) {
      pos_ = bad;
      return malformed("a control character or a byte that is not UTF-8, which XML does not allow");
    }
    skip_misc();
    if (!at('<')) return malformed("no root element");
    XmlNode root;
    OSSLIVE_TRY(element(root, 1));
    skip_misc();
    if (pos_ != text_.size()) return malformed("content after the root element");
    return root;
  }

 private:
  Error malformed(const std::string& why) const {
    return Error(Errc::MalformedXML, "malformed XML at byte " + std::to_string(pos_) + ": " + why);
  }
  bool at(char c) const { return pos_ < text_.size() && text_[pos_] == c; }
  bool at(std::string_view s) const { return text_.substr(pos_, s.size()) == s; }
  void skip_space() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t' || text_[pos_] == '\r' || text_[pos_] == '\n'))
      ++pos_;
  }
  // Whitespace, the XML declaration, processing instructions and comments.
  void skip_misc() {
    while (true) {
      skip_space();
      if (at("<?")) {
        auto end = text_.find("?>", pos_);
        pos_ = end == std::string_view::npos ? text_.size() : end + 2;
      } else if (at("<!--")) {
        auto end = text_.find("-->", pos_);
        pos_ = end == std::string_view::npos ? text_.size() : end + 3;
      } else {
        return;
      }
    }
  }

  Result<std::string> name() {
    std::size_t start = pos_;
    while (pos_ < text_.size()) {
      char c = text_[pos_];
      if (c == '>' || c == '/' || c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '<' || c == '=') break;
      ++pos_;
    }
    if (pos_ == start) return malformed("expected a name");
    return std::string(text_.substr(start, pos_ - start));
  }

  // Skips attributes: OSS bodies carry none that matter (xmlns at most).
  Status skip_attributes() {
    while (pos_ < text_.size() && !at('>') && !at("/>")) {
      if (text_[pos_] == '"' || text_[pos_] == '\'') {
        char quote = text_[pos_++];
        auto end = text_.find(quote, pos_);
        if (end == std::string_view::npos) return malformed("unterminated attribute");
        pos_ = end + 1;
      } else {
        ++pos_;
      }
    }
    if (pos_ >= text_.size()) return malformed("unterminated tag");
    return {};
  }

  Status entity(std::string& out) {
    auto end = text_.find(';', pos_);
    if (end == std::string_view::npos || end - pos_ > 10) return malformed("bad entity");
    std::string_view ref = text_.substr(pos_ + 1, end - pos_ - 1);
    pos_ = end + 1;
    if (ref == "lt") out.push_back('<');
    else if (ref == "gt") out.push_back('>');
    else if (ref == "amp") out.push_back('&');
    else if (ref == "quot") out.push_back('"');
    else if (ref == "apos") out.push_back('\'');
    else if (!ref.empty() && ref[0] == '#') {
      std::int64_t code = -1;
      if (ref.size() > 1 && (ref[1] == 'x' || ref[1] == 'X')) {
        auto bytes = ref.substr(2);
        code = 0;
        if (bytes.empty() || bytes.size() > 6) return malformed("bad character reference");
        for (char c : bytes) {
          int v = (c >= '0' && c <= '9') ? c - '0' : (c >= 'a' && c <= 'f') ? c - 'a' + 10 : (c >= 'A' && c <= 'F') ? c - 'A' + 10 : -1;
          if (v < 0) return malformed("bad character reference");
          code = code * 16 + v;
        }
      } else {
        auto value = parse_int(ref.substr(1));
        if (!value) return malformed("bad character reference");
        code = *value;
      }
      if (code <= 0 || code > 0x10FFFF || !is_xml_char(static_cast<std::uint32_t>(code)))
        return malformed("a character reference to a character XML does not allow");
      append_utf8(out, static_cast<std::uint32_t>(code));
    } else {
      return malformed("unknown entity");
    }
    return {};
  }

  static void append_utf8(std::string& out, std::uint32_t cp) {
    if (cp < 0x80) {
      out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
      out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
      out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
      out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
  }

  Status element(XmlNode& node, int depth) {
    if (depth > limits_.max_depth) return malformed("nesting deeper than " + std::to_string(limits_.max_depth));
    if (++nodes_ > limits_.max_nodes) return malformed("too many elements");
    ++pos_;  // '<'
    OSSLIVE_ASSIGN(node.name, name());
    OSSLIVE_TRY(skip_attributes());
    if (at("/>")) {
      pos_ += 2;
      return {};
    }
    ++pos_;  // '>'
    while (true) {
      if (pos_ >= text_.size()) return malformed("unterminated element <" + node.name + ">");
      if (at("</")) {
        pos_ += 2;
        OSSLIVE_ASSIGN(std::string closing, name());
        if (closing != node.name) return malformed("</" + closing + "> closes <" + node.name + ">");
        skip_space();
        if (!at('>')) return malformed("bad closing tag");
        ++pos_;
        return {};
      }
      if (at("<!--")) {
        auto end = text_.find("-->", pos_);
        if (end == std::string_view::npos) return malformed("unterminated comment");
        pos_ = end + 3;
      } else if (at("<![CDATA[")) {
        auto end = text_.find("]]>", pos_);
        if (end == std::string_view::npos) return malformed("unterminated CDATA");
        node.text.append(text_.substr(pos_ + 9, end - pos_ - 9));
        pos_ = end + 3;
      } else if (at("<!") || at("<?")) {
        return malformed("declarations are not allowed here");
      } else if (at('<')) {
        XmlNode child;
        OSSLIVE_TRY(element(child, depth + 1));
        node.children.push_back(std::move(child));
      } else if (at('&')) {
        OSSLIVE_TRY(entity(node.text));
      } else {
        node.text.push_back(text_[pos_++]);
      }
    }
  }

  std::string_view text_;
  const XmlLimits& limits_;
  std::size_t pos_ = 0;
  std::size_t nodes_ = 0;
};

}  // namespace

Result<XmlNode> parse_xml(std::string_view text, const XmlLimits& limits) {
  auto node = Parser(text, limits).document();
  if (!node.ok()) return node;
  // Element text in OSS bodies never needs surrounding whitespace (pretty-printed input).
  std::vector<XmlNode*> stack{&node.value()};
  while (!stack.empty()) {
    XmlNode* n = stack.back();
    stack.pop_back();
    if (!n->children.empty()) n->text = std::string(trim(n->text));
    for (auto& c : n->children) stack.push_back(&c);
  }
  return node;
}

}  // namespace osslive::oss
