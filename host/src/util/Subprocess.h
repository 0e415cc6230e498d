#pragma once
// Runs a short-lived command to completion and captures what it printed (stdout and stderr).
#include <string>
#include <vector>

namespace tinko::util {

struct CommandResult {
    int exitCode;
    std::string output;
};

// `args[0]` is the program path. The command must not leave a child holding its output open.
CommandResult runCommand(const std::vector<std::string>& args);

}  // namespace tinko::util
