#pragma once
// Runs one of this folder's browser scripts (*.mjs) in Node with the given settings and returns
// its exit code and everything it printed, for the suite to assert on and to show on failure.
#include "util/Subprocess.h"

#include <Poco/File.h>

#include <map>
#include <string>

namespace tinko::test {

inline util::CommandResult runBrowserScript(const std::string& script, const std::map<std::string, std::string>& settings) {
    std::vector<std::string> args{"/usr/bin/env"};
    for (const auto& [name, value] : settings) args.push_back(name + "=" + value);
    args.push_back("TINKO_ARTIFACTS=" TINKO_BROWSER_ARTIFACTS);
    args.push_back("node");
    args.push_back(std::string(TINKO_BROWSER_SCRIPTS) + "/" + script);
    return util::runCommand(args);
}

inline std::string artifactPath(const std::string& screenshot) {
    return std::string(TINKO_BROWSER_ARTIFACTS) + "/" + screenshot + ".png";
}
inline void removeArtifact(const std::string& screenshot) {
    Poco::File file(artifactPath(screenshot));
    if (file.exists()) file.remove();
}
// The screenshot's size in bytes, 0 when the script did not save it.
inline long long artifactSize(const std::string& screenshot) {
    Poco::File file(artifactPath(screenshot));
    return file.exists() ? static_cast<long long>(file.getSize()) : 0;
}

}  // namespace tinko::test
