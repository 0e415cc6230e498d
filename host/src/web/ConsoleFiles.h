#pragma once
// The ops console's files (host/console), embedded at build time by cmake/EmbedFiles.cmake.
#include <map>
#include <string>

namespace tinko::web {

// File name (e.g. "console.js") -> its bytes.
const std::map<std::string, std::string>& embeddedConsoleFiles();

}  // namespace tinko::web
