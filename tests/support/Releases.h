#pragma once
// migrations/RELEASES.md read by the suites that check upgrades: each release and the last
// migration it ships, oldest first.
#include "TestSupport.h"

#include <regex>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace tinko::test {

struct Release {
    std::string version;   // "0.2.0"
    int lastMigration;     // 28 for 0001–0028
};

inline std::vector<Release> shippedReleases() {
    const std::string path = std::string(TINKO_SOURCE_DIR) + "/migrations/RELEASES.md";
    std::istringstream table(readFile(path));
    static const std::regex row(R"(^\| (\d+\.\d+\.\d+) \| 0001–(\d{4}) \|.*)");
    std::vector<Release> releases;
    for (std::string line; std::getline(table, line);) {
        std::smatch m;
        if (std::regex_match(line, m, row)) releases.push_back({m[1].str(), std::stoi(m[2].str())});
    }
    if (releases.size() < 2) throw std::runtime_error(path + " names fewer than two releases");
    return releases;
}

// The release before this checkout's (the table's last row).
inline Release previousRelease() {
    const auto releases = shippedReleases();
    return releases[releases.size() - 2];
}

}  // namespace tinko::test
