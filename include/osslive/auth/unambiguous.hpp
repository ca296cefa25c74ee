#pragma once
// The request that is verified must be the request that is executed. A string to sign is a
// function of the decoded request; where two requests that would execute differently map to the
// same string, a signature for one would authorise the other. V1 is the scheme where that
// happens: it joins sub-resources as raw `k=v&k2` after the decoded key, so `?`, `&` and `=`
// inside a key, a name or a value can move text between those parts. V2 and V4 percent-encode
// every part, so only a repeated parameter (sorted before signing) is ambiguous there.
#include "osslive/auth/types.hpp"
#include "osslive/core/result.hpp"

namespace osslive::auth {

// InvalidArgument (naming the parameter, or the key) for a request whose string to sign under
// `scheme` another request could share:
//  - every scheme but Anonymous: a query parameter named twice, or with no name ("=v");
//  - V1 (header or presigned): a parameter name holding '=' or '&'; a sub-resource value holding
//    '&' followed by a sub-resource name (the rest of the value could be read as more
//    sub-resources); a key holding '?' followed by a sub-resource name (the rest of the key could
//    be read as the sub-resources). A sub-resource name here is the text up to the next '=' or
//    '&' (or the end) that is_v1_subresource accepts.
Status check_unambiguous(Scheme scheme, const SignableRequest& request);

}  // namespace osslive::auth
