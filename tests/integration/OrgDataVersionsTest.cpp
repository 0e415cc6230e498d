// The version log of migration 0018 and its poll (store/OrgDataChanges), on a real PostgreSQL:
// two caches stand for two hosts. A write through one host's stores reaches the other's cache
// after its next poll for every kind of cached data, and a change whose transaction commits after
// a later one (out of order) is not missed.
#include "TestSupport.h"

#include "store/MigrationRunner.h"
#include "store/OrgDataCache.h"
#include "store/OrgDataChanges.h"
#include "store/OrgStore.h"
#include "store/PgConnection.h"
#include "store/PgPool.h"
#include "store/StepStore.h"
#include "store/TemplateStore.h"

#include <cppunit/extensions/HelperMacros.h>

using namespace tinko;
using namespace tinko::test;

namespace {
// One host's view: its cache, its poller and its stores, on a shared database.
struct Host {
    explicit Host(const std::string& db)
        : pool(db, 2), changes(db, cache), orgs(pool, &cache), templates(pool, &cache), notifications(pool, &cache) {
        changes.poll();   // the watermark: nothing is cached before it
    }
    store::PgPool pool;
    store::OrgDataCache cache;
    store::OrgDataChanges changes;
    store::OrgStore orgs;
    store::TemplateStore templates;
    store::NotificationStore notifications;

    std::size_t emailTemplates(long long org) {
        return templates.candidates(org, "email", std::nullopt, std::nullopt).templates.size();
    }
};

notify::MessageTemplate emailTemplate(const std::string& name) {
    notify::MessageTemplate t;
    t.name = name;
    t.channel = "email";
    t.locale = "en";
    t.subject = "Your payment";
    t.text = "Please pay";
    t.isDefault = true;
    return t;
}
}  // namespace

class OrgDataVersionsTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(OrgDataVersionsTest);
    CPPUNIT_TEST(eachKindOfChangeReachesTheOtherHostAtItsNextPoll);
    CPPUNIT_TEST(aChangeCommittedAfterALaterOneIsNotMissed);
    CPPUNIT_TEST(theLogKeepsOneRowPerOrg);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override {
        db_ = createFreshDatabase();
        store::MigrationRunner(db_).run(store::readMigrationFiles(TINKO_SOURCE_DIR "/migrations"));
    }

    void eachKindOfChangeReachesTheOtherHostAtItsNextPoll() {
        Host a(db_), b(db_);
        const long long org = a.orgs.createOrg("acme", "Acme")->id;
        b.changes.poll();

        // Templates.
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), b.emailTemplates(org));
        CPPUNIT_ASSERT(a.templates.create(org, emailTemplate("usual")));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), a.emailTemplates(org));   // the writer sees its change at once
        CPPUNIT_ASSERT_EQUAL_MESSAGE("B serves its cache until it polls", std::size_t(0), b.emailTemplates(org));
        b.changes.poll();
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), b.emailTemplates(org));

        // Opt-outs.
        CPPUNIT_ASSERT(!b.notifications.isOptedOut(org, "email", "ann@example.com"));
        a.notifications.optOut(org, "email", "ann@example.com", "a***@example.com", "notify-smtp");
        CPPUNIT_ASSERT(a.notifications.isOptedOut(org, "email", "ann@example.com"));
        b.changes.poll();
        CPPUNIT_ASSERT(b.notifications.isOptedOut(org, "email", "ann@example.com"));

        // The org row (brand colour, read per webhook and recovery page).
        CPPUNIT_ASSERT_EQUAL(std::string(""), b.orgs.findOrg("acme")->brandColor);
        CPPUNIT_ASSERT(a.orgs.setBrandColour(org, "#112233", "org"));
        b.changes.poll();
        CPPUNIT_ASSERT_EQUAL(std::string("#112233"), b.orgs.findOrg("acme")->brandColor);

        // A change made with SQL by hand (no host involved) arrives the same way.
        store::PgConnection(db_).exec("UPDATE orgs SET brand_color = '#445566' WHERE slug = 'acme'");
        b.changes.poll();
        CPPUNIT_ASSERT_EQUAL(std::string("#445566"), b.orgs.findOrg("acme")->brandColor);

        // Another org's change leaves this org's entries alone.
        const long long other = a.orgs.createOrg("other", "Other")->id;
        b.changes.poll();
        const std::size_t cached = b.cache.size();
        CPPUNIT_ASSERT(a.templates.create(other, emailTemplate("usual")));
        b.changes.poll();
        CPPUNIT_ASSERT_EQUAL(cached, b.cache.size());
    }

    void aChangeCommittedAfterALaterOneIsNotMissed() {
        Host a(db_), b(db_);
        const long long first = a.orgs.createOrg("first", "First")->id;
        const long long second = a.orgs.createOrg("second", "Second")->id;
        b.changes.poll();
        CPPUNIT_ASSERT_EQUAL(std::string(""), b.orgs.findOrg("first")->brandColor);
        CPPUNIT_ASSERT_EQUAL(std::string(""), b.orgs.findOrg("second")->brandColor);

        // The transaction that changes `first` begins (and takes its id) before the one that
        // changes `second`, and commits after it, with a poll in between.
        store::PgConnection slow(db_), quick(db_);
        slow.exec("BEGIN");
        slow.exec("UPDATE orgs SET brand_color = '#000001' WHERE id = " + std::to_string(first));
        quick.exec("UPDATE orgs SET brand_color = '#000002' WHERE id = " + std::to_string(second));
        b.changes.poll();
        CPPUNIT_ASSERT_EQUAL(std::string("#000002"), b.orgs.findOrg("second")->brandColor);
        CPPUNIT_ASSERT_EQUAL(std::string(""), b.orgs.findOrg("first")->brandColor);   // not committed yet
        slow.exec("COMMIT");
        b.changes.poll();
        CPPUNIT_ASSERT_EQUAL(std::string("#000001"), b.orgs.findOrg("first")->brandColor);
        CPPUNIT_ASSERT_EQUAL(std::string("#000002"), b.orgs.findOrg("second")->brandColor);
    }

    void theLogKeepsOneRowPerOrg() {
        Host a(db_);
        const long long org = a.orgs.createOrg("busy", "Busy")->id;
        for (int i = 0; i < 5; ++i) CPPUNIT_ASSERT(a.orgs.setBrandColour(org, i % 2 ? "#111111" : "#222222", "org"));
        store::PgConnection c(db_);
        CPPUNIT_ASSERT_EQUAL(std::string("1"), *c.query("SELECT count(*)::text FROM org_data_versions")[0][0]);
    }

private:
    std::string db_;
};

CPPUNIT_TEST_SUITE_REGISTRATION(OrgDataVersionsTest);
