// store/OrgDataCache and store/OrgDataChanges' ChangeWatermark: what is kept, what is dropped,
// when nothing is served, and the bound.
#include "store/OrgDataCache.h"
#include "store/OrgDataChanges.h"

#include <cppunit/extensions/HelperMacros.h>

using tinko::store::ChangeWatermark;
using tinko::store::OrgDataCache;

namespace {
struct FakeClock {
    OrgDataCache::Clock::time_point now = OrgDataCache::Clock::time_point() + std::chrono::hours(1);
};
}  // namespace

class OrgDataCacheTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(OrgDataCacheTest);
    CPPUNIT_TEST(aSecondReadComesFromTheCache);
    CPPUNIT_TEST(nothingIsServedOrKeptBeforeTheFirstConfirmation);
    CPPUNIT_TEST(nothingIsServedOnceTheLastConfirmationIsASecondOld);
    CPPUNIT_TEST(anInvalidationDropsOnlyThatOrg);
    CPPUNIT_TEST(aValueLoadedAcrossAnInvalidationIsNotKept);
    CPPUNIT_TEST(aLocalChangeIsAnnounced);
    CPPUNIT_TEST(unknownGlobalKeysAreNeverKept);
    CPPUNIT_TEST(globalKeysGoWithTheirOrg);
    CPPUNIT_TEST(theNumberOfEntriesIsBounded);
    CPPUNIT_TEST(theFirstPollOnlySetsTheWatermark);
    CPPUNIT_TEST(aChangeSeenOnceIsNotReportedAgain);
    CPPUNIT_TEST(aChangeBelowTheWatermarkIsForgotten);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override {
        clock_ = FakeClock{};
        cache_ = std::make_unique<OrgDataCache>(100, [this](long long org) { announced_.push_back(org); },
                                                [this] { return clock_.now; });
        cache_->confirm(clock_.now);
        loads_ = 0;
        announced_.clear();
    }

    void aSecondReadComesFromTheCache() {
        CPPUNIT_ASSERT_EQUAL(7, read(1, "rules", 7));
        CPPUNIT_ASSERT_EQUAL(7, read(1, "rules", 8));
        CPPUNIT_ASSERT_EQUAL(1, loads_);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), cache_->size());
    }

    void nothingIsServedOrKeptBeforeTheFirstConfirmation() {
        OrgDataCache cache(100, {}, [this] { return clock_.now; });
        int loads = 0;
        for (int i = 0; i < 2; ++i) cache.get<int>(1, "rules", [&] { return ++loads; });
        CPPUNIT_ASSERT_EQUAL(2, loads);
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), cache.size());
    }

    void nothingIsServedOnceTheLastConfirmationIsASecondOld() {
        read(1, "rules", 7);
        clock_.now += std::chrono::milliseconds(999);
        CPPUNIT_ASSERT_EQUAL(7, read(1, "rules", 8));
        clock_.now += std::chrono::milliseconds(1);
        CPPUNIT_ASSERT_EQUAL(9, read(1, "rules", 9));
        cache_->confirm(clock_.now);   // the poll that comes back has dropped what changed meanwhile
        CPPUNIT_ASSERT_EQUAL(7, read(1, "rules", 10));
    }

    void anInvalidationDropsOnlyThatOrg() {
        read(1, "rules", 1);
        read(1, "policy:active", 2);
        read(2, "rules", 3);
        cache_->invalidate(1);
        CPPUNIT_ASSERT_EQUAL(4, read(1, "rules", 4));
        CPPUNIT_ASSERT_EQUAL(3, read(2, "rules", 5));
        CPPUNIT_ASSERT(announced_.empty());
    }

    void aValueLoadedAcrossAnInvalidationIsNotKept() {
        // The load read the rules from before a change whose invalidation came while it ran.
        CPPUNIT_ASSERT_EQUAL(1, cache_->get<int>(1, "rules", [&] {
            cache_->invalidate(1);
            return 1;
        }));
        CPPUNIT_ASSERT_EQUAL(2, read(1, "rules", 2));
    }

    void aLocalChangeIsAnnounced() {
        read(5, "rules", 1);
        cache_->changed(5);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), announced_.size());
        CPPUNIT_ASSERT_EQUAL(5LL, announced_[0]);
        CPPUNIT_ASSERT_EQUAL(2, read(5, "rules", 2));
    }

    void unknownGlobalKeysAreNeverKept() {
        for (int i = 0; i < 1000; ++i)
            cache_->getGlobal<int>("key:" + std::to_string(i), [] { return std::optional<std::pair<long long, int>>(); });
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), cache_->size());
    }

    void globalKeysGoWithTheirOrg() {
        int loads = 0;
        auto owner = [&] { return cache_->getGlobal<int>("key:abc", [&] { return std::make_optional(std::make_pair(3LL, ++loads)); }); };
        CPPUNIT_ASSERT_EQUAL(1, *owner());
        CPPUNIT_ASSERT_EQUAL(1, *owner());
        cache_->invalidate(3);   // e.g. the key was revoked
        CPPUNIT_ASSERT_EQUAL(2, *owner());
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), cache_->size());
    }

    void theNumberOfEntriesIsBounded() {
        for (long long org = 0; org < 1000; ++org)
            for (int k = 0; k < 3; ++k) read(org, "k" + std::to_string(k), k);
        for (int i = 0; i < 1000; ++i)
            cache_->getGlobal<int>("key:" + std::to_string(i), [i] { return std::make_optional(std::make_pair(5000LL + i, i)); });
        CPPUNIT_ASSERT(cache_->size() <= 100);
        CPPUNIT_ASSERT(cache_->size() > 0);
        // The entry just kept survives the eviction it caused.
        const int before = loads_;
        read(999999, "rules", 1);
        read(999999, "rules", 2);
        CPPUNIT_ASSERT_EQUAL(before + 1, loads_);
    }

    void theFirstPollOnlySetsTheWatermark() {
        ChangeWatermark w;
        CPPUNIT_ASSERT(!w.since());
        CPPUNIT_ASSERT(w.advance({{1, 100}}, 100).empty());
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(100), *w.since());
    }

    void aChangeSeenOnceIsNotReportedAgain() {
        ChangeWatermark w;
        w.advance({}, 100);
        // Transaction 105 committed; 101 still runs, so the xmin stays at 101 and 105 comes back.
        auto first = w.advance({{1, 105}}, 101);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), first.size());
        CPPUNIT_ASSERT(w.advance({{1, 105}}, 101).empty());
        // 101 commits a change of org 2 (a lower id, later): still seen.
        auto second = w.advance({{2, 101}, {1, 105}}, 106);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), second.size());
        CPPUNIT_ASSERT_EQUAL(2LL, second[0]);
        // Org 1 changes again.
        auto third = w.advance({{1, 107}}, 108);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), third.size());
        CPPUNIT_ASSERT_EQUAL(1LL, third[0]);
    }

    void aChangeBelowTheWatermarkIsForgotten() {
        ChangeWatermark w;
        w.advance({}, 100);
        w.advance({{1, 105}, {2, 120}}, 110);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), w.remembered());
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(110), *w.since());
    }

private:
    int read(long long org, const std::string& key, int value) {
        return cache_->get<int>(org, key, [&] {
            ++loads_;
            return value;
        });
    }

    FakeClock clock_;
    std::unique_ptr<OrgDataCache> cache_;
    std::vector<long long> announced_;
    int loads_ = 0;
};

CPPUNIT_TEST_SUITE_REGISTRATION(OrgDataCacheTest);
