#pragma once
// The system's time zone database (Debian's tzdata: /usr/share/zoneinfo), read once per zone and
// kept: each zone is parsed on first use and then shared, so the event path reads no file twice.
// Only files that parse are kept, so unknown names cannot grow the cache.
#include "timing/TimeZone.h"

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace tinko::timing {

inline constexpr const char* kSystemZoneDirectory = "/usr/share/zoneinfo";

class ZoneCatalog {
public:
    explicit ZoneCatalog(std::string directory = kSystemZoneDirectory) : directory_(std::move(directory)) {}

    // The zone, or nullptr when the name is not a plain IANA name or no such zone is installed.
    // "UTC" is always known, installed or not.
    std::shared_ptr<const TimeZone> find(const std::string& name);
    // The default zone of an ISO 3166-1 alpha-2 country ("US", case-insensitive), nullopt when zone.tab
    // names none.
    std::optional<std::string> zoneOfCountry(const std::string& country);

    // The catalog of the system's zone directory, shared by the whole process.
    static ZoneCatalog& system();

private:
    void loadCountries();

    const std::string directory_;
    std::mutex mutex_;
    std::unordered_map<std::string, std::shared_ptr<const TimeZone>> zones_;
    bool countriesLoaded_ = false;
    std::unordered_map<std::string, std::string> countries_;
};

}  // namespace tinko::timing
