// abi.h's struct_size rule, held by the host at run time: plugins built against ABI 1.0 and 1.1
// (tests/plugins/old-abi-psp.cpp, with their own frozen copy of 1.0's structs) load in-process
// into the host's loader with the host's real services, and the host neither reads nor writes past
// the struct_size a plugin set; a struct shorter than ABI 1.0's is refused, not read.
#include "TestPluginPaths.h"
#include "TestSupport.h"
#include "plugins/PluginLoader.h"
#include "plugins/StructSize.h"

#include <cppunit/extensions/HelperMacros.h>

#include <cstring>

using namespace tinko::plugins;
using tinko::test::TempDir;

namespace {
// A later minor's response, one field longer than today's: what a newer host would fill.
struct GrownResponse {
    uint32_t struct_size;
    int32_t status;
    const tinko_header* headers;
    size_t header_count;
    tinko_str body;
    tinko_str transport_error;
    void* host_data;
    uint64_t added_later;
};

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }
}  // namespace

class StructSizeRuleTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(StructSizeRuleTest);
    CPPUNIT_TEST(aGrownHostStructIsWrittenOnlyAsFarAsThePluginsSize);
    CPPUNIT_TEST(oldPluginsLoadAndOnlyTheOperationsTheirTablesHaveAreCalled);
    CPPUNIT_TEST(theHostHonoursAnOldPluginsShortStructs);
    CPPUNIT_TEST_SUITE_END();

public:
    // The host's rule for a struct the plugin allocated: min(plugin's struct_size, host's sizeof)
    // bytes, struct_size untouched. A struct of today's 64 bytes, followed by a guard, filled by a
    // host whose struct has grown by a field.
    void aGrownHostStructIsWrittenOnlyAsFarAsThePluginsSize() {
        struct {
            tinko_http_response response;
            unsigned char guard[16];
        } frame;
        std::memset(&frame, 0xA5, sizeof frame);
        frame.response.struct_size = sizeof(tinko_http_response);
        GrownResponse filled{};
        filled.struct_size = sizeof(GrownResponse);
        filled.status = 200;
        filled.added_later = ~0ull;
        writeWithinPluginSize(reinterpret_cast<GrownResponse*>(&frame.response), filled);
        CPPUNIT_ASSERT_EQUAL(int32_t(200), frame.response.status);
        CPPUNIT_ASSERT_EQUAL(uint32_t(sizeof(tinko_http_response)), frame.response.struct_size);
        for (unsigned char b : frame.guard) CPPUNIT_ASSERT_EQUAL(0xA5, int(b));
        // A plugin as new as the host gets everything.
        GrownResponse same{};
        same.struct_size = sizeof same;
        writeWithinPluginSize(&same, filled);
        CPPUNIT_ASSERT_EQUAL(~0ull, static_cast<unsigned long long>(same.added_later));
    }

    void oldPluginsLoadAndOnlyTheOperationsTheirTablesHaveAreCalled() {
        TempDir staging;
        PluginRegistry registry;
        {
            PluginLoader loader(staging.path(), std::make_shared<Outbound>(OutboundSettings{}), registry);
            auto v10 = loader.prepare(loader.stage(TINKO_TEST_PLUGIN_OLD_ABI_1_0));
            CPPUNIT_ASSERT_EQUAL(std::uint16_t(0), v10->descriptor().abiMinor);
            CPPUNIT_ASSERT(v10->instance().offers(Operation::Classify));
            CPPUNIT_ASSERT(!v10->instance().offers(Operation::CompleteCheckout));   // not in 1.0's table
            auto absent = v10->instance().call(Operation::CompleteCheckout, "{}");
            CPPUNIT_ASSERT_EQUAL(TINKO_ERR_UNSUPPORTED, absent.error.category);
            auto classified = v10->instance().call(Operation::Classify, R"({"config":{},"code":"old_abi_nsf"})");
            CPPUNIT_ASSERT_MESSAGE(classified.error.message, classified.ok);
            CPPUNIT_ASSERT(contains(classified.json, R"("category":"insufficient_funds")"));

            auto v11 = loader.prepare(loader.stage(TINKO_TEST_PLUGIN_OLD_ABI_1_1));
            CPPUNIT_ASSERT_EQUAL(std::uint16_t(1), v11->descriptor().abiMinor);
            CPPUNIT_ASSERT(v11->instance().offers(Operation::CompleteCheckout));
            auto completed = v11->instance().call(Operation::CompleteCheckout, R"({"config":{},"recovery_id":"7"})");
            CPPUNIT_ASSERT_MESSAGE(completed.error.message, completed.ok);
            CPPUNIT_ASSERT(contains(completed.json, R"("outcome":"pending")"));
        }
        registry.shutdown();
    }

    void theHostHonoursAnOldPluginsShortStructs() {
        TempDir staging;
        PluginRegistry registry;
        {
            // Ops allow loopback, so a call reaches the transport (and fails there: nothing listens on port 1).
            std::vector<std::string> problems;
            OutboundSettings settings;
            settings.egressAllow = parseEgressAllow("127.0.0.1", problems);
            CPPUNIT_ASSERT(problems.empty());
            PluginLoader loader(staging.path(), std::make_shared<Outbound>(settings), registry);
            auto generation = loader.prepare(loader.stage(TINKO_TEST_PLUGIN_OLD_ABI_1_0));
            const PluginInstance& plugin = generation->instance();

            // A tinko_error of 16 bytes: refused, not read (the plugin said AUTH).
            auto shortError = plugin.call(Operation::Classify, R"({"config":{},"code":"short_error"})");
            CPPUNIT_ASSERT(!shortError.ok);
            CPPUNIT_ASSERT_EQUAL(TINKO_ERR_INTERNAL, shortError.error.category);
            CPPUNIT_ASSERT_MESSAGE(shortError.error.message,
                                   contains(shortError.error.message, "tinko_error of struct_size 16, smaller than ABI 1.0's 48"));

            // A tinko_http_request of 8 bytes: nothing is sent, the reason comes back.
            auto shortRequest = plugin.call(Operation::Classify, R"({"config":{},"code":"short_http_request"})");
            CPPUNIT_ASSERT(!shortRequest.ok);
            CPPUNIT_ASSERT_EQUAL(TINKO_ERR_NETWORK, shortRequest.error.category);
            CPPUNIT_ASSERT_MESSAGE(shortRequest.error.message,
                                   contains(shortRequest.error.message, "tinko_http_request has struct_size 8, smaller than ABI 1.0's 76"));

            // A tinko_http_response of struct_size 0, as ABI 1.0 allowed: filled as 1.0's struct
            // (the guard after it intact, its struct_size set to 1.0's 64), the failure explained.
            auto unset = plugin.call(Operation::Classify, R"({"config":{},"code":"unset_http_response"})");
            CPPUNIT_ASSERT_MESSAGE(unset.error.message, unset.ok);
            CPPUNIT_ASSERT_MESSAGE(unset.json, contains(unset.json, R"("transport_error":")") &&
                                                   !contains(unset.json, R"("transport_error":"")"));

            // A tinko_http_response of 8 bytes: refused, and not one byte of it written.
            auto shortResponse = plugin.call(Operation::Classify, R"({"config":{},"code":"short_http_response"})");
            CPPUNIT_ASSERT_MESSAGE(shortResponse.error.message, shortResponse.ok);
            CPPUNIT_ASSERT_MESSAGE(shortResponse.json, contains(shortResponse.json, R"("untouched":true)"));
        }
        registry.shutdown();
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(StructSizeRuleTest);
