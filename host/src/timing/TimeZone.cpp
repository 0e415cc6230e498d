#include "timing/TimeZone.h"

#include "timing/CivilTime.h"

#include <algorithm>

namespace tinko::timing {

namespace {

struct Bytes {
    const std::string& s;
    std::size_t at = 0;
    bool has(std::size_t n) const { return at <= s.size() && s.size() - at >= n; }
    std::uint64_t big(int n) {
        std::uint64_t v = 0;
        for (int k = 0; k < n; ++k) v = (v << 8) | static_cast<unsigned char>(s[at++]);
        return v;
    }
};

struct Counts {
    std::uint64_t isut, isstd, leap, time, type, chars;
};

std::optional<Counts> header(Bytes& b, char& version) {
    if (!b.has(44) || b.s.compare(b.at, 4, "TZif") != 0) return std::nullopt;
    version = b.s[b.at + 4];
    b.at += 20;
    Counts c{b.big(4), b.big(4), b.big(4), b.big(4), b.big(4), b.big(4)};
    if (c.type == 0 || c.chars == 0) return std::nullopt;
    return c;
}

std::size_t dataSize(const Counts& c, int timeSize) {
    return c.time * timeSize + c.time + c.type * 6 + c.chars + c.leap * (timeSize + 4) + c.isstd + c.isut;
}

}  // namespace

TimeZone TimeZone::utc() {
    TimeZone z;
    z.name_ = "UTC";
    return z;
}

std::optional<TimeZone> parseTzif(const std::string& name, const std::string& bytes) {
    Bytes b{bytes};
    char version = 0;
    auto v1 = header(b, version);
    if (!v1 || version < '2') return std::nullopt;
    if (!b.has(dataSize(*v1, 4))) return std::nullopt;
    b.at += dataSize(*v1, 4);   // the 32-bit block; the 64-bit one follows
    auto c = header(b, version);
    if (!c || !b.has(dataSize(*c, 8)) || c->leap != 0) return std::nullopt;

    TimeZone z;
    z.name_ = name;
    std::vector<std::int64_t> times(c->time);
    for (auto& t : times) t = static_cast<std::int64_t>(b.big(8));
    std::vector<std::size_t> typeOf(c->time);
    for (auto& t : typeOf) {
        t = static_cast<unsigned char>(bytes[b.at++]);
        if (t >= c->type) return std::nullopt;
    }
    std::vector<std::int64_t> offsets(c->type);
    for (auto& o : offsets) {
        o = static_cast<std::int32_t>(static_cast<std::uint32_t>(b.big(4)));
        b.at += 2;   // isdst, abbreviation index: not needed
    }
    b.at += c->chars + c->isstd + c->isut;
    for (std::size_t k = 0; k < times.size(); ++k) {
        if (k && times[k] <= times[k - 1]) return std::nullopt;
        z.transitions_.push_back(times[k]);
        z.offsetAfter_.push_back(offsets[typeOf[k]]);
    }
    z.offsetBefore_ = offsets[0];
    // The footer: "\n" TZ string "\n"; empty means no rule past the last transition.
    if (b.has(2) && bytes[b.at] == '\n') {
        const auto end = bytes.find('\n', b.at + 1);
        if (end == std::string::npos) return std::nullopt;
        const std::string tz = bytes.substr(b.at + 1, end - b.at - 1);
        if (!tz.empty()) {
            z.footer_ = parsePosixTz(tz);
            if (!z.footer_) return std::nullopt;
        }
    }
    return z;
}

std::int64_t TimeZone::offsetAt(std::int64_t utc) const {
    if (transitions_.empty()) return footer_ ? footer_->offsetAt(utc) : offsetBefore_;
    if (utc < transitions_.front()) return offsetBefore_;
    if (utc >= transitions_.back() && footer_) return footer_->offsetAt(utc);
    const auto it = std::upper_bound(transitions_.begin(), transitions_.end(), utc);
    return offsetAfter_[static_cast<std::size_t>(it - transitions_.begin()) - 1];
}

std::int64_t TimeZone::toUtc(const WallTime& w) const {
    return toUtcFromLocalSeconds(daysFromCivil(w.year, w.month, w.day) * kSecondsPerDay + w.secondsIntoDay);
}

std::int64_t TimeZone::toUtcFromLocalSeconds(std::int64_t local) const {
    // Offsets change at most once within a day on either side (true of every zone in the database),
    // so the offsets a day before and a day after are the only candidates.
    const std::int64_t before = offsetAt(local - kSecondsPerDay);
    const std::int64_t after = offsetAt(local + kSecondsPerDay);
    const std::int64_t byBefore = local - before, byAfter = local - after;
    const bool beforeFits = offsetAt(byBefore) == before, afterFits = offsetAt(byAfter) == after;
    if (beforeFits && afterFits) return std::min(byBefore, byAfter);   // twice: the earlier
    if (beforeFits) return byBefore;
    if (afterFits) return byAfter;
    // Skipped: the instant the clocks jumped, the first one after `lo` whose offset differs.
    std::int64_t lo = std::min(byBefore, byAfter), hi = std::max(byBefore, byAfter);
    const std::int64_t loOffset = offsetAt(lo);
    while (hi - lo > 1) {
        const std::int64_t mid = lo + (hi - lo) / 2;
        (offsetAt(mid) == loOffset ? lo : hi) = mid;
    }
    return hi;
}

bool isPlainZoneName(const std::string& name) {
    if (name.empty() || name.size() > 64) return false;
    std::size_t partStart = 0;
    for (std::size_t i = 0; i <= name.size(); ++i) {
        if (i == name.size() || name[i] == '/') {
            if (i == partStart) return false;   // empty part: leading, trailing or doubled '/'
            partStart = i + 1;
            continue;
        }
        const char c = name[i];
        const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
                        c == '-' || c == '+';
        if (!ok) return false;   // no '.', so no ".." and no "zone.tab"
    }
    return true;
}

}  // namespace tinko::timing
