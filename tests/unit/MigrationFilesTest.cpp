// store/MigrationRunner readMigrationFiles: which files of a directory are migrations, in which
// order they apply, and the errors that stop start-up before anything touches the database.
#include "store/MigrationRunner.h"

#include "TestSupport.h"
#include "security/SecretTokens.h"

#include <Poco/File.h>
#include <cppunit/extensions/HelperMacros.h>

#include <fstream>
#include <string>

using tinko::security::sha256Hex;
using tinko::store::MigrationError;
using tinko::store::MigrationFile;
using tinko::store::readMigrationFiles;
using tinko::test::TempDir;

namespace {
void write(const TempDir& dir, const std::string& name, const std::string& content) {
    std::ofstream out(dir.path() + "/" + name, std::ios::binary);
    out << content;
    CPPUNIT_ASSERT_MESSAGE("cannot write " + name, out.good());
}

// The message of the MigrationError that reading `dir` raises; fails the test if none is raised.
std::string errorReading(const std::string& dir) {
    try {
        readMigrationFiles(dir);
    } catch (const MigrationError& e) {
        return e.what();
    }
    CPPUNIT_FAIL("expected a MigrationError for " + dir);
    return "";
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }
}  // namespace

class MigrationFilesTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(MigrationFilesTest);
    CPPUNIT_TEST(emptyDirectoryHasNoMigrations);
    CPPUNIT_TEST(filesAreSortedByVersion);
    CPPUNIT_TEST(fileContentAndChecksumAreRead);
    CPPUNIT_TEST(nonSqlFilesAreIgnored);
    CPPUNIT_TEST(badNameIsAnErrorNamingTheFile);
    CPPUNIT_TEST(duplicateVersionNamesBothFiles);
    CPPUNIT_TEST(missingDirectoryIsAMigrationError);
    CPPUNIT_TEST(repositoryMigrationsAreValid);
    CPPUNIT_TEST_SUITE_END();

public:
    void emptyDirectoryHasNoMigrations() {
        TempDir dir;
        CPPUNIT_ASSERT(readMigrationFiles(dir.path()).empty());
    }

    void filesAreSortedByVersion() {
        // Created out of order; directory listing order is not the apply order.
        TempDir dir;
        write(dir, "0010_tenth.sql", "select 10;");
        write(dir, "0002_second.sql", "select 2;");
        write(dir, "0001_first.sql", "select 1;");
        write(dir, "0003_third_v2.sql", "select 3;");
        auto files = readMigrationFiles(dir.path());
        CPPUNIT_ASSERT_EQUAL(std::size_t(4), files.size());
        CPPUNIT_ASSERT_EQUAL(1, files[0].version);
        CPPUNIT_ASSERT_EQUAL(std::string("0001_first.sql"), files[0].fileName);
        CPPUNIT_ASSERT_EQUAL(2, files[1].version);
        CPPUNIT_ASSERT_EQUAL(3, files[2].version);
        CPPUNIT_ASSERT_EQUAL(std::string("0003_third_v2.sql"), files[2].fileName);
        CPPUNIT_ASSERT_EQUAL(10, files[3].version);
        CPPUNIT_ASSERT_EQUAL(std::string("0010_tenth.sql"), files[3].fileName);
    }

    void fileContentAndChecksumAreRead() {
        TempDir dir;
        const std::string sql = "CREATE TABLE t (id bigint);\n-- caf\xC3\xA9\r\nINSERT INTO t VALUES (1);\n";
        write(dir, "0001_create_t.sql", sql);
        auto files = readMigrationFiles(dir.path());
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), files.size());
        // The exact bytes: a checksum over altered text would flag untouched files as edited.
        CPPUNIT_ASSERT_EQUAL(sql, files[0].sql);
        CPPUNIT_ASSERT_EQUAL(sha256Hex(sql), files[0].checksum);
        // An empty file is read as empty, with the well-known digest of "".
        write(dir, "0002_empty.sql", "");
        files = readMigrationFiles(dir.path());
        CPPUNIT_ASSERT_EQUAL(std::string("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
                             files[1].checksum);
    }

    void nonSqlFilesAreIgnored() {
        TempDir dir;
        write(dir, "0001_first.sql", "select 1;");
        write(dir, "README.md", "notes");
        write(dir, "0002_draft.sql.bak", "select 2;");
        write(dir, "0003_notes.txt", "x");
        write(dir, "sql", "x");
        auto files = readMigrationFiles(dir.path());
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), files.size());
        CPPUNIT_ASSERT_EQUAL(std::string("0001_first.sql"), files[0].fileName);
    }

    void badNameIsAnErrorNamingTheFile() {
        for (const char* name : {"1_first.sql", "0001-first.sql", "0001_First.sql", "00001_first.sql", "0001_.sql",
                                 "first.sql", "0001_first name.sql", "0001_first.SQL.sql"}) {
            TempDir dir;
            write(dir, "0002_ok.sql", "select 2;");
            write(dir, name, "select 1;");
            const std::string message = errorReading(dir.path());
            CPPUNIT_ASSERT_EQUAL_MESSAGE(name, "migration file '" + std::string(name) +
                                                   "' must be named NNNN_lower_case_name.sql",
                                         message);
        }
    }

    void duplicateVersionNamesBothFiles() {
        TempDir dir;
        write(dir, "0001_first.sql", "select 1;");
        write(dir, "0001_other.sql", "select 2;");
        const std::string message = errorReading(dir.path());
        CPPUNIT_ASSERT_MESSAGE(message, contains(message, "'0001_first.sql'"));
        CPPUNIT_ASSERT_MESSAGE(message, contains(message, "'0001_other.sql'"));
        CPPUNIT_ASSERT_MESSAGE(message, contains(message, "share version 0001"));
    }

    void missingDirectoryIsAMigrationError() {
        TempDir dir;
        const std::string missing = dir.path() + "/no-such-dir";
        const std::string message = errorReading(missing);
        CPPUNIT_ASSERT_MESSAGE(message, contains(message, "cannot read migrations from '" + missing + "'"));
    }

    void repositoryMigrationsAreValid() {
        // The migrations shipped with the host must themselves pass these rules, starting at 0001.
        auto files = readMigrationFiles(std::string(TINKO_SOURCE_DIR) + "/migrations");
        CPPUNIT_ASSERT(!files.empty());
        CPPUNIT_ASSERT_EQUAL(1, files.front().version);
        for (std::size_t i = 0; i < files.size(); ++i) {
            CPPUNIT_ASSERT_MESSAGE(files[i].fileName, !files[i].sql.empty());
            if (i > 0) CPPUNIT_ASSERT(files[i - 1].version < files[i].version);
        }
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(MigrationFilesTest);
