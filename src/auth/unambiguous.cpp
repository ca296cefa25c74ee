#include "osslive/auth/unambiguous.hpp"

#include <algorithm>
#include <string_view>
#include <vector>

#include "osslive/auth/canonical.hpp"

namespace osslive::auth {

namespace {

bool is_v1(Scheme scheme) { return scheme == Scheme::V1Header || scheme == Scheme::V1Query; }

// Whether `text` starts with a sub-resource name ended by '=', '&' or the end of `text`: the V1
// resource could then be split right before it.
bool starts_with_subresource(std::string_view text) {
  return is_v1_subresource(text.substr(0, text.find_first_of("=&")));
}

// Whether some `mark` in `text` is followed by a sub-resource name.
bool splits_before_subresource(std::string_view text, char mark) {
  for (auto at = text.find(mark); at != std::string_view::npos; at = text.find(mark, at + 1))
    if (starts_with_subresource(text.substr(at + 1))) return true;
  return false;
}

// Every parameter named, and each name once. Sorted, so a repeat is found in n log n: the query
// is read before the signature is checked.
Status check_names(const Query& query) {
  std::vector<const QueryParam*> params;
  params.reserve(query.params().size());
  for (const QueryParam& param : query.params()) params.push_back(&param);
  std::sort(params.begin(), params.end(), [](const QueryParam* a, const QueryParam* b) { return a->key < b->key; });
  // "=v" (or "=") names nothing; V2 and V4 sign "=" like no parameter at all.
  if (!params.empty() && params.front()->key.empty())
    return Error(Errc::InvalidArgument, "A query parameter in a signed request has no name.")
        .with("ArgumentName", "")
        .with("ArgumentValue", params.front()->value);
  auto repeat = std::adjacent_find(params.begin(), params.end(),
                                   [](const QueryParam* a, const QueryParam* b) { return a->key == b->key; });
  if (repeat == params.end()) return {};
  return invalid_argument((*repeat)->key, "may be given only once in a signed request", (*repeat)->value);
}

Status check_v1(const SignableRequest& request) {
  for (const QueryParam& param : request.query.params()) {
    if (param.key.find_first_of("=&") != std::string::npos)
      return invalid_argument(param.key, "is a parameter name holding '=' or '&', which a V1 signature signs like "
                                         "the parameters it spells",
                              param.value);
    if (is_v1_subresource(param.key) && splits_before_subresource(param.value, '&'))
      return invalid_argument(param.key, "holds '&' before a sub-resource name, which a V1 signature signs like two "
                                         "sub-resources",
                              param.value);
  }
  if (splits_before_subresource(request.key, '?'))
    return Error(Errc::InvalidArgument,
                 "The object key holds '?' before a sub-resource name; a V1 signature signs it like a shorter key "
                 "with that sub-resource. Sign with V4, or choose another key.")
        .with("Key", std::string(request.key));
  return {};
}

}  // namespace

Status check_unambiguous(Scheme scheme, const SignableRequest& request) {
  if (scheme == Scheme::Anonymous) return {};
  OSSLIVE_TRY(check_names(request.query));
  if (is_v1(scheme)) return check_v1(request);
  return {};
}

}  // namespace osslive::auth
