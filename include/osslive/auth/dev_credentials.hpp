#pragma once
// The development key of a server started with no key configured: made once, kept in the data
// folder, so restarts keep working with the same SDK settings.
#include <filesystem>

#include "osslive/core/config.hpp"
#include "osslive/core/result.hpp"

namespace osslive::auth {

// The key stored at `path`, or a new random one written there first. The file is created
// owner-only (0600) and published whole, so the secret is never readable by others, not even for a
// moment, and of two servers starting at once on one data folder both use the first one's key.
// Unreadable: InternalError.
Result<Credential> load_or_create_dev_credential(const std::filesystem::path& path);

}  // namespace osslive::auth
