#include "timing/ZoneCatalog.h"

#include <fstream>
#include <sstream>

namespace tinko::timing {

namespace {

constexpr std::streamsize kMaxZoneFileBytes = 1 << 20;

std::optional<std::string> readSmallFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return std::nullopt;
    std::string bytes(static_cast<std::size_t>(kMaxZoneFileBytes) + 1, '\0');
    in.read(bytes.data(), kMaxZoneFileBytes + 1);
    const auto got = in.gcount();
    if (got <= 0 || got > kMaxZoneFileBytes) return std::nullopt;   // also a directory: nothing read
    bytes.resize(static_cast<std::size_t>(got));
    return bytes;
}

// Countries with more than one row in zone.tab: the zone where most of the country's people live
// (populations of the zones' main cities and regions). zone.tab orders a country's rows roughly
// west to east or north to south, so its first row is not the answer for these. Every other
// country has one row, which is its zone.
const std::unordered_map<std::string, std::string>& mostPopulousZones() {
    static const std::unordered_map<std::string, std::string> zones{
        {"AQ", "Antarctica/McMurdo"},   {"AR", "America/Argentina/Buenos_Aires"}, {"AU", "Australia/Sydney"},
        {"BR", "America/Sao_Paulo"},    {"CA", "America/Toronto"},     {"CD", "Africa/Kinshasa"},
        {"CL", "America/Santiago"},     {"CN", "Asia/Shanghai"},       {"CY", "Asia/Nicosia"},
        {"DE", "Europe/Berlin"},        {"EC", "America/Guayaquil"},   {"ES", "Europe/Madrid"},
        {"FM", "Pacific/Chuuk"},        {"GL", "America/Nuuk"},        {"ID", "Asia/Jakarta"},
        {"KI", "Pacific/Tarawa"},       {"KZ", "Asia/Almaty"},         {"MH", "Pacific/Majuro"},
        {"MN", "Asia/Ulaanbaatar"},     {"MX", "America/Mexico_City"}, {"MY", "Asia/Kuala_Lumpur"},
        {"NZ", "Pacific/Auckland"},     {"PF", "Pacific/Tahiti"},      {"PG", "Pacific/Port_Moresby"},
        {"PS", "Asia/Hebron"},          {"PT", "Europe/Lisbon"},       {"RU", "Europe/Moscow"},
        {"UA", "Europe/Kyiv"},          {"UM", "Pacific/Wake"},        {"US", "America/New_York"},
        {"UZ", "Asia/Tashkent"},
    };
    return zones;
}

}  // namespace

std::shared_ptr<const TimeZone> ZoneCatalog::find(const std::string& name) {
    if (!isPlainZoneName(name)) return nullptr;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        if (auto it = zones_.find(name); it != zones_.end()) return it->second;
    }
    // Read outside the lock: two first readers of one zone parse it twice, harmlessly.
    std::shared_ptr<const TimeZone> zone;
    if (auto bytes = readSmallFile(directory_ + "/" + name))
        if (auto parsed = parseTzif(name, *bytes)) zone = std::make_shared<const TimeZone>(std::move(*parsed));
    if (!zone && name == "UTC") zone = std::make_shared<const TimeZone>(TimeZone::utc());
    if (!zone) return nullptr;
    std::lock_guard<std::mutex> lock(mutex_);
    return zones_.emplace(name, zone).first->second;
}

std::optional<std::string> ZoneCatalog::zoneOfCountry(const std::string& country) {
    if (country.size() != 2) return std::nullopt;
    std::string code;
    for (char c : country) code += static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
    std::lock_guard<std::mutex> lock(mutex_);
    if (!countriesLoaded_) loadCountries();
    auto it = countries_.find(code);
    if (it == countries_.end()) return std::nullopt;
    return it->second;
}

// zone.tab (tz database): "CC<TAB>coordinates<TAB>Zone[<TAB>comments]", one row per country and zone.
void ZoneCatalog::loadCountries() {
    countriesLoaded_ = true;
    auto text = readSmallFile(directory_ + "/zone.tab");
    if (!text) return;
    std::istringstream lines(*text);
    std::string line;
    while (std::getline(lines, line)) {
        if (line.empty() || line[0] == '#') continue;
        const auto tab1 = line.find('\t');
        const auto tab2 = tab1 == std::string::npos ? tab1 : line.find('\t', tab1 + 1);
        if (tab1 != 2 || tab2 == std::string::npos) continue;
        const auto tab3 = line.find('\t', tab2 + 1);
        const std::string code = line.substr(0, 2);
        const std::string zone = line.substr(tab2 + 1, tab3 == std::string::npos ? std::string::npos : tab3 - tab2 - 1);
        if (countries_.count(code)) continue;   // the first row, unless overridden below
        auto chosen = mostPopulousZones().find(code);
        countries_[code] = chosen != mostPopulousZones().end() ? chosen->second : zone;
    }
}

ZoneCatalog& ZoneCatalog::system() {
    static ZoneCatalog catalog;
    return catalog;
}

}  // namespace tinko::timing
