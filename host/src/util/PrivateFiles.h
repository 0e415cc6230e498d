#pragma once
// Files and directories only the host's own user may read: the data directory, the generated
// secret key, staged plugins. They are created with their final modes (never created open and
// narrowed afterwards), so there is no moment at which another user can read them.
#include <sys/types.h>

#include <optional>
#include <stdexcept>
#include <string>

namespace tinko::util {

struct PrivateFileError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// Makes `path` a directory of mode 0700 owned by this process's user, creating it (and missing
// parents) if needed and narrowing the mode of an existing one. With `traversableByGroup`, the
// mode is 0710 and the directory's group that group: its members can reach a subdirectory they
// own (the embedded PostgreSQL's cluster) but cannot list or read anything else. Refuses (throws)
// a directory owned by someone else or with the sticky bit (such as /tmp).
void ensurePrivateDirectory(const std::string& path, std::optional<gid_t> traversableByGroup = std::nullopt);

// Writes `content` to a new file `path` of mode 0600 atomically: a temporary file is created with
// O_CREAT|O_EXCL and mode 0600 beside it, written, synced, and linked into place (a link never
// replaces an existing file). False when `path` already exists (its content stands).
bool createPrivateFile(const std::string& path, const std::string& content);

// Narrows an existing file to 0600 when group or others could read it; true when it did.
bool narrowToOwnerOnly(const std::string& path);

}  // namespace tinko::util
