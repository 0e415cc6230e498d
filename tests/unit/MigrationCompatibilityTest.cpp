// What makes a rolling upgrade safe (deploy/README.md, "Upgrading"): while hosts are upgraded one at
// a time, the previous release's hosts run on the schema the first upgraded host migrated. So the
// migrations a release adds may only add: no table, column, view, type or function dropped, nothing
// renamed or retyped, no column made NOT NULL without a default. A statement that is safe anyway
// carries `-- compatible: <why>` on its line. migrations/RELEASES.md names the releases.
#include "Releases.h"
#include "TestSupport.h"

#include "store/MigrationRunner.h"

#include <cppunit/extensions/HelperMacros.h>

#include <regex>
#include <sstream>
#include <string>
#include <vector>

using namespace tinko::test;

namespace {

// The statements of `sql` the previous release's code could trip over, each as "line N: text".
std::vector<std::string> incompatibleStatements(const std::string& sql) {
    static const std::vector<std::regex> patterns = [] {
        const auto ci = std::regex::icase;
        return std::vector<std::regex>{
            std::regex(R"(\bDROP\s+(TABLE|COLUMN|VIEW|TYPE|FUNCTION)\b)", ci),
            std::regex(R"(\bRENAME\b)", ci),
            std::regex(R"(\bALTER\s+COLUMN\s+\w+\s+(SET\s+DATA\s+)?TYPE\b)", ci),
            std::regex(R"(\bSET\s+NOT\s+NULL\b)", ci),
            // A new NOT NULL column without a default: the previous release's INSERTs leave it out.
            std::regex(R"(\bADD\s+COLUMN\b(?:(?!\bDEFAULT\b).)*\bNOT\s+NULL\b(?:(?!\bDEFAULT\b).)*$)", ci),
        };
    }();
    std::vector<std::string> found;
    std::istringstream lines(sql);
    int number = 0;
    for (std::string line; std::getline(lines, line);) {
        ++number;
        if (line.find("-- compatible:") != std::string::npos) continue;
        const std::string code = line.substr(0, line.find("--"));
        for (const auto& pattern : patterns)
            if (std::regex_search(code, pattern)) {
                found.push_back("line " + std::to_string(number) + ": " + line);
                break;
            }
    }
    return found;
}

}  // namespace

class MigrationCompatibilityTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(MigrationCompatibilityTest);
    CPPUNIT_TEST(whatThePreviousReleaseCouldTripOverIsFound);
    CPPUNIT_TEST(additionsPass);
    CPPUNIT_TEST(thisReleasesMigrationsOnlyAdd);
    CPPUNIT_TEST(theReleaseTableNamesThisVersionAndItsNewestMigration);
    CPPUNIT_TEST_SUITE_END();

public:
    void whatThePreviousReleaseCouldTripOverIsFound() {
        for (const std::string sql : {"DROP TABLE recovery_links;", "ALTER TABLE orgs DROP COLUMN brand_color;",
                                      "alter table orgs rename column name to title;",
                                      "ALTER TABLE recoveries ALTER COLUMN state TYPE integer USING 0;",
                                      "ALTER TABLE orgs ALTER COLUMN timezone SET NOT NULL;",
                                      "ALTER TABLE orgs ADD COLUMN region TEXT NOT NULL;",
                                      "DROP FUNCTION recovery_attribution();", "CREATE VIEW v AS SELECT 1;\nDROP VIEW v;"})
            CPPUNIT_ASSERT_MESSAGE(sql, !incompatibleStatements(sql).empty());
        CPPUNIT_ASSERT_EQUAL(std::string("line 2: DROP VIEW v;"),
                             incompatibleStatements("CREATE VIEW v AS SELECT 1;\nDROP VIEW v;").at(0));
    }

    void additionsPass() {
        for (const std::string sql :
             {"ALTER TABLE orgs ADD COLUMN region TEXT;", "ALTER TABLE orgs ADD COLUMN region TEXT NOT NULL DEFAULT 'eu';",
              "CREATE INDEX recoveries_due ON recoveries (due_at);", "DROP INDEX recoveries_org_recovered;",
              "CREATE OR REPLACE FUNCTION f() RETURNS int AS 'SELECT 1' LANGUAGE sql;",
              "-- we never DROP TABLE here\nSELECT 1;", "DROP TABLE scratch; -- compatible: created by this migration"})
            CPPUNIT_ASSERT_MESSAGE(sql, incompatibleStatements(sql).empty());
    }

    void thisReleasesMigrationsOnlyAdd() {
        const int previous = previousRelease().lastMigration;
        std::string problems;
        for (const auto& file : tinko::store::readMigrationFiles(std::string(TINKO_SOURCE_DIR) + "/migrations")) {
            if (file.version <= previous) continue;
            for (const auto& statement : incompatibleStatements(file.sql)) problems += "\n" + file.fileName + " " + statement;
        }
        CPPUNIT_ASSERT_MESSAGE("migrations after the previous release's " + std::to_string(previous) +
                                   " the previous release's hosts could trip over during a rolling upgrade:" + problems,
                               problems.empty());
    }

    void theReleaseTableNamesThisVersionAndItsNewestMigration() {
        const auto releases = shippedReleases();
        CPPUNIT_ASSERT_EQUAL(std::string(TINKO_VERSION), releases.back().version);
        const auto files = tinko::store::readMigrationFiles(std::string(TINKO_SOURCE_DIR) + "/migrations");
        CPPUNIT_ASSERT_EQUAL(files.back().version, releases.back().lastMigration);
        for (std::size_t i = 1; i < releases.size(); ++i)
            CPPUNIT_ASSERT_MESSAGE(releases[i].version, releases[i].lastMigration >= releases[i - 1].lastMigration);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(MigrationCompatibilityTest);
