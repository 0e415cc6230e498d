// What the host keeps on disk is its own: the data directory is 0700, the generated secret key is
// 0600, and POST /v1/plugins copies only ELF shared objects for this host (0600, in a 0700
// staging directory); any other file (the host's environment, /etc/shadow, a directory, a symlink
// to a secret, a text file) is a 4xx and leaves nothing behind.
#include "TestPluginPaths.h"
#include "TestSupport.h"

#include <Poco/File.h>
#include <cppunit/extensions/HelperMacros.h>

#include <fstream>
#include <sys/stat.h>
#include <unistd.h>

using namespace tinko::test;

namespace {
int modeOf(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) return -1;
    return static_cast<int>(st.st_mode & 07777);
}

std::vector<std::string> entriesOf(const std::string& dir) {
    std::vector<std::string> names;
    if (Poco::File(dir).exists()) Poco::File(dir).list(names);
    return names;
}

std::string joined(const std::vector<std::string>& names) {
    std::string out;
    for (const auto& n : names) out += n + " ";
    return out;
}
}  // namespace

class PrivateFilesTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(PrivateFilesTest);
    CPPUNIT_TEST(theDataDirectoryAndTheGeneratedKeyAreTheHostsAlone);
    CPPUNIT_TEST(onlyElfSharedObjectsAreStaged);
    CPPUNIT_TEST(aStagedPluginIsPrivateAndARefusedOneLeavesNothing);
    CPPUNIT_TEST(copiesAnEarlierVersionStagedAreRemovedAtStart);
    CPPUNIT_TEST_SUITE_END();

public:
    static TestHost& host() {
        static TestHost shared;
        return shared;
    }
    static std::string stagingDir() { return host().dataDir.path() + "/plugin-staging"; }
    static HttpResult loadPlugin(const std::string& path) {
        return host().ops("POST", "/v1/plugins", "{\"path\":\"" + path + "\"}");
    }

    void theDataDirectoryAndTheGeneratedKeyAreTheHostsAlone() {
        // TempDir made it 0755; the host narrowed it (its database is external: no group access).
        CPPUNIT_ASSERT_EQUAL(0700, modeOf(host().dataDir.path()));
        CPPUNIT_ASSERT_EQUAL(0600, modeOf(host().dataDir.path() + "/secret.key"));
        for (const auto& name : entriesOf(host().dataDir.path()))
            CPPUNIT_ASSERT_MESSAGE("no temporary file is left: " + name, name.find(".tmp-") == std::string::npos);
    }

    void onlyElfSharedObjectsAreStaged() {
        TempDir scratch;
        const std::string textFile = scratch.path() + "/notes.so", directory = scratch.path() + "/plugin.so",
                          link = scratch.path() + "/shadow.so";
        Poco::File(directory).createDirectories();
        { std::ofstream(textFile) << "this is not a plugin\n"; }
        CPPUNIT_ASSERT_EQUAL(0, ::symlink("/etc/shadow", link.c_str()));
        const std::vector<std::pair<std::string, std::string>> cases{
            {"/proc/self/environ", "not a loadable shared library"},
            {"/etc/shadow", "not a loadable shared library"},
            {directory, "is not a regular file"},
            {link, "not a loadable shared library"},
            {textFile, "not a loadable shared library"},
            {"/dev/zero", "is not a regular file"},
            {TINKO_TEST_PLUGIN_NOT_A_LIBRARY, "not a loadable shared library"},
        };
        const auto before = entriesOf(stagingDir());
        for (const auto& [path, reason] : cases) {
            auto r = loadPlugin(path);
            CPPUNIT_ASSERT_MESSAGE(path + ": " + r.body, r.status >= 400 && r.status < 500);
            CPPUNIT_ASSERT_EQUAL(std::string("application/problem+json"), r.header("content-type"));
            CPPUNIT_ASSERT_MESSAGE(path + ": " + r.body, r.json()->getValue<std::string>("detail").find(reason) != std::string::npos);
            CPPUNIT_ASSERT_MESSAGE(path + " left: " + joined(entriesOf(stagingDir())), entriesOf(stagingDir()) == before);
        }
        // Nothing of the environment (which holds the ops token) came back either.
        CPPUNIT_ASSERT(loadPlugin("/proc/self/environ").body.find(host().opsToken) == std::string::npos);
    }

    void aStagedPluginIsPrivateAndARefusedOneLeavesNothing() {
        // An ELF shared object refused later (no entry point, or a bad descriptor) is removed too.
        const auto before = entriesOf(stagingDir());
        for (const char* refused : {TINKO_TEST_PLUGIN_MISSING_ENTRY, TINKO_TEST_PLUGIN_MISSING_FIELDS}) {
            auto r = loadPlugin(refused);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 422, r.status);
            CPPUNIT_ASSERT_MESSAGE(joined(entriesOf(stagingDir())), entriesOf(stagingDir()) == before);
        }
        auto loaded = loadPlugin(TINKO_TEST_PLUGIN_ECHO_V1);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(loaded.body, 201, loaded.status);
        CPPUNIT_ASSERT_EQUAL(0700, modeOf(stagingDir()));
        const auto after = entriesOf(stagingDir());
        CPPUNIT_ASSERT_EQUAL_MESSAGE(joined(after), before.size() + 1, after.size());
        for (const auto& name : after) CPPUNIT_ASSERT_EQUAL_MESSAGE(name, 0600, modeOf(stagingDir() + "/" + name));
        // A second load of the same plugin is refused (409) and keeps the file the first one uses.
        CPPUNIT_ASSERT_EQUAL(409, loadPlugin(TINKO_TEST_PLUGIN_ECHO_V1).status);
        CPPUNIT_ASSERT_EQUAL(after.size(), entriesOf(stagingDir()).size());
    }

    // What an earlier version copied (any readable file, 0555 in a 0755 directory) is gone after
    // the next start; a real staged plugin stays, narrowed to 0600.
    void copiesAnEarlierVersionStagedAreRemovedAtStart() {
        TempDir data;
        const std::string staging = data.path() + "/plugin-staging";
        Poco::File(staging).createDirectories();
        ::chmod(staging.c_str(), 0755);
        const std::string leaked = staging + "/" + std::string(64, 'a') + ".so", leftover = staging + "/x.so.tmp-abc";
        { std::ofstream(leaked) << "TINKO_OPS_TOKEN=tko_leaked\n"; }
        { std::ofstream(leftover) << "partial"; }
        const std::string plugin = staging + "/" + std::string(64, 'b') + ".so";
        { std::ofstream(plugin, std::ios::binary) << readFile(TINKO_TEST_PLUGIN_ECHO_V1); }
        ::chmod(leaked.c_str(), 0555);
        ::chmod(plugin.c_str(), 0555);
        TestHost restarted(Env{{"TINKO_DATA_DIR", data.path()}});
        CPPUNIT_ASSERT_EQUAL(std::string(std::string(64, 'b') + ".so"), joined(entriesOf(staging)).substr(0, 67));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), entriesOf(staging).size());
        CPPUNIT_ASSERT_EQUAL(0700, modeOf(staging));
        CPPUNIT_ASSERT_EQUAL(0600, modeOf(plugin));
        CPPUNIT_ASSERT_EQUAL(0700, modeOf(data.path()));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(PrivateFilesTest);
