#include "store/OrgDataCache.h"

namespace tinko::store {

OrgDataCache::OrgDataCache(std::size_t maxEntries, std::function<void(long long)> announce,
                           std::function<Clock::time_point()> now)
    : maxEntries_(maxEntries == 0 ? 1 : maxEntries), announce_(std::move(announce)), now_(std::move(now)) {}

bool OrgDataCache::freshLocked() const { return confirmedAt_ && now_() - *confirmedAt_ < kMaxUnconfirmed; }

OrgDataCache::Ticket OrgDataCache::lookup(long long orgId, const std::string& key) {
    std::lock_guard<std::mutex> lock(mutex_);
    Ticket ticket;
    ticket.epoch = epoch_;
    if (!freshLocked()) return ticket;
    auto org = byOrg_.find(orgId);
    if (org == byOrg_.end()) return ticket;
    auto entry = org->second.find(key);
    if (entry != org->second.end()) ticket.value = entry->second;
    return ticket;
}

OrgDataCache::Ticket OrgDataCache::lookupGlobal(const std::string& key) {
    std::lock_guard<std::mutex> lock(mutex_);
    Ticket ticket;
    ticket.epoch = epoch_;
    if (!freshLocked()) return ticket;
    const std::string marked = kGlobalMark + key;
    auto owner = globalOwner_.find(marked);
    if (owner == globalOwner_.end()) return ticket;
    auto& entries = byOrg_[owner->second];
    auto entry = entries.find(marked);
    if (entry != entries.end()) ticket.value = entry->second;
    return ticket;
}

void OrgDataCache::keep(long long orgId, const std::string& key, std::any value, std::uint64_t epoch) {
    std::lock_guard<std::mutex> lock(mutex_);
    // Something changed while the value was loaded, or the cache is not confirmed: it may be old.
    if (epoch != epoch_ || !freshLocked()) return;
    auto& entries = byOrg_[orgId];
    auto [entry, inserted] = entries.insert_or_assign(key, std::move(value));
    (void)entry;
    if (!inserted) return;
    ++size_;
    if (!key.empty() && key[0] == kGlobalMark) globalOwner_[key] = orgId;
    // Full: drop whole orgs (any but this one, while there are others) until there is room again.
    while (size_ > maxEntries_) {
        auto victim = byOrg_.begin();
        if (victim->first == orgId && byOrg_.size() > 1) ++victim;
        dropLocked(victim->first);
    }
}

void OrgDataCache::dropLocked(long long orgId) {
    auto org = byOrg_.find(orgId);
    if (org == byOrg_.end()) return;
    for (const auto& [key, value] : org->second)
        if (!key.empty() && key[0] == kGlobalMark) globalOwner_.erase(key);
    size_ -= org->second.size();
    byOrg_.erase(org);
}

void OrgDataCache::invalidate(long long orgId) {
    std::lock_guard<std::mutex> lock(mutex_);
    ++epoch_;
    dropLocked(orgId);
}

void OrgDataCache::changed(long long orgId) {
    invalidate(orgId);
    if (announce_) announce_(orgId);
}

void OrgDataCache::clear() {
    std::lock_guard<std::mutex> lock(mutex_);
    ++epoch_;
    byOrg_.clear();
    globalOwner_.clear();
    size_ = 0;
}

void OrgDataCache::confirm(Clock::time_point pollStartedAt) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!confirmedAt_ || pollStartedAt > *confirmedAt_) confirmedAt_ = pollStartedAt;
}

std::size_t OrgDataCache::size() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return size_;
}

}  // namespace tinko::store
