// The migrations runner against a real PostgreSQL: each file once, in order, in a transaction,
// under an advisory lock, and a failure that names the file and the database's message.
#include "TestSupport.h"

#include "store/MigrationRunner.h"
#include "store/PgConnection.h"

#include <Poco/FileStream.h>
#include <cppunit/extensions/HelperMacros.h>

#include <atomic>
#include <thread>

using namespace tinko;
using namespace tinko::test;

namespace {
void writeFile(const std::string& path, const std::string& text) {
    Poco::FileOutputStream out(path);
    out << text;
}

std::string scalar(const std::string& conninfo, const std::string& sql) {
    store::PgConnection conn(conninfo);
    auto rows = conn.query(sql);
    return rows.empty() || !rows[0][0] ? "" : *rows[0][0];
}
}  // namespace

class MigrationRunnerTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(MigrationRunnerTest);
    CPPUNIT_TEST(appliesTheProjectMigrationsAndARerunAppliesNothing);
    CPPUNIT_TEST(runnersStartingTogetherApplyEachFileOnce);
    CPPUNIT_TEST(aFailingMigrationNamesTheFileAndRollsBack);
    CPPUNIT_TEST(aMigrationEditedAfterItRanIsRefused);
    CPPUNIT_TEST_SUITE_END();

public:
    void appliesTheProjectMigrationsAndARerunAppliesNothing() {
        const std::string db = createFreshDatabase();
        auto files = store::readMigrationFiles(std::string(TINKO_SOURCE_DIR) + "/migrations");
        CPPUNIT_ASSERT(!files.empty());

        auto first = store::MigrationRunner(db).run(files);
        CPPUNIT_ASSERT_EQUAL(files.size(), first.applied.size());
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), first.alreadyApplied);
        CPPUNIT_ASSERT_EQUAL(std::string("orgs"), scalar(db, "SELECT to_regclass('orgs')::text"));

        auto second = store::MigrationRunner(db).run(files);
        CPPUNIT_ASSERT(second.applied.empty());
        CPPUNIT_ASSERT_EQUAL(files.size(), second.alreadyApplied);
        CPPUNIT_ASSERT_EQUAL(std::to_string(files.size()), scalar(db, "SELECT count(*) FROM schema_migrations"));
    }

    void runnersStartingTogetherApplyEachFileOnce() {
        const std::string db = createFreshDatabase();
        TempDir dir;
        writeFile(dir.path() + "/0001_counter.sql", "CREATE TABLE counter (n INT);");
        // The sleep widens the window in which a runner without the lock would apply it twice.
        writeFile(dir.path() + "/0002_count.sql", "SELECT pg_sleep(0.3); INSERT INTO counter VALUES (1);");
        auto files = store::readMigrationFiles(dir.path());

        std::atomic<int> failures{0};
        std::atomic<int> appliedTotal{0};
        std::vector<std::thread> hosts;
        for (int i = 0; i < 6; ++i)
            hosts.emplace_back([&] {
                try {
                    appliedTotal += static_cast<int>(store::MigrationRunner(db).run(files).applied.size());
                } catch (const std::exception&) {
                    ++failures;
                }
            });
        for (auto& t : hosts) t.join();

        CPPUNIT_ASSERT_EQUAL(0, failures.load());
        CPPUNIT_ASSERT_EQUAL(2, appliedTotal.load());
        CPPUNIT_ASSERT_EQUAL(std::string("1"), scalar(db, "SELECT count(*) FROM counter"));
        CPPUNIT_ASSERT_EQUAL(std::string("2"), scalar(db, "SELECT count(*) FROM schema_migrations"));
    }

    void aFailingMigrationNamesTheFileAndRollsBack() {
        const std::string db = createFreshDatabase();
        TempDir dir;
        writeFile(dir.path() + "/0001_good.sql", "CREATE TABLE good (x INT);");
        writeFile(dir.path() + "/0002_broken.sql", "CREATE TABLE half_done (x INT);\nSELECT * FROM no_such_table;");
        writeFile(dir.path() + "/0003_later.sql", "CREATE TABLE later (x INT);");

        std::string message;
        try {
            store::MigrationRunner(db).run(store::readMigrationFiles(dir.path()));
        } catch (const store::MigrationError& e) {
            message = e.what();
        }
        CPPUNIT_ASSERT_MESSAGE(message, message.find("0002_broken.sql") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(message, message.find("relation \"no_such_table\" does not exist") != std::string::npos);
        CPPUNIT_ASSERT_EQUAL(std::string("good"), scalar(db, "SELECT to_regclass('good')::text"));
        CPPUNIT_ASSERT_EQUAL(std::string(""), scalar(db, "SELECT to_regclass('half_done')::text"));
        CPPUNIT_ASSERT_EQUAL(std::string(""), scalar(db, "SELECT to_regclass('later')::text"));
        CPPUNIT_ASSERT_EQUAL(std::string("1"), scalar(db, "SELECT string_agg(version::text, ',') FROM schema_migrations"));
    }

    void aMigrationEditedAfterItRanIsRefused() {
        const std::string db = createFreshDatabase();
        TempDir dir;
        writeFile(dir.path() + "/0001_table.sql", "CREATE TABLE t (x INT);");
        store::MigrationRunner(db).run(store::readMigrationFiles(dir.path()));
        writeFile(dir.path() + "/0001_table.sql", "CREATE TABLE t (x BIGINT);");

        std::string message;
        try {
            store::MigrationRunner(db).run(store::readMigrationFiles(dir.path()));
        } catch (const store::MigrationError& e) {
            message = e.what();
        }
        CPPUNIT_ASSERT_MESSAGE(message, message.find("0001_table.sql was changed after it was applied") != std::string::npos);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(MigrationRunnerTest);
