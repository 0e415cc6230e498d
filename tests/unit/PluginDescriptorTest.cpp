// The descriptor check decides whether a plugin may run at all: ABI versions first, then every
// field a host relies on. Descriptors here are plain structs, so each rule is tested alone.
#include "plugins/PluginDescriptor.h"

#include <cppunit/extensions/HelperMacros.h>

using namespace tinko::plugins;

namespace {
tinko_status anOperation(tinko_instance*, tinko_str, tinko_result*) { return TINKO_OK; }
tinko_status create(const tinko_host_services*, tinko_instance**, tinko_result*) { return TINKO_OK; }
void destroy(tinko_instance*) {}

const tinko_psp_operations kPspOps{sizeof(tinko_psp_operations), anOperation, anOperation, anOperation,
                                   anOperation, anOperation, anOperation, anOperation, anOperation};
const tinko_channel_operations kChannelOps{sizeof(tinko_channel_operations), anOperation, anOperation, anOperation,
                                           anOperation};

tinko_plugin_descriptor validPsp() {
    return {sizeof(tinko_plugin_descriptor), TINKO_ABI_MAJOR, TINKO_ABI_MINOR, TINKO_KIND_PSP, "stripe", "1.2.3",
            R"(["checkout","retry_charge"])", R"({"type":"object","properties":{"secret_key":{"type":"string"}},"required":["secret_key"]})",
            create, destroy, &kPspOps, nullptr};
}

bool mentions(const std::vector<std::string>& problems, const std::string& text) {
    for (const auto& p : problems)
        if (p.find(text) != std::string::npos) return true;
    return false;
}
}  // namespace

class PluginDescriptorTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(PluginDescriptorTest);
    CPPUNIT_TEST(aCompleteDescriptorIsAccepted);
    CPPUNIT_TEST(anotherAbiMajorIsRefusedWithBothVersions);
    CPPUNIT_TEST(aNewerAbiMinorIsRefused);
    CPPUNIT_TEST(anOlderAbiMinorIsAccepted);
    CPPUNIT_TEST(anAbi10OperationTableIsAccepted);
    CPPUNIT_TEST(missingFieldsAreEachNamed);
    CPPUNIT_TEST(namesAndVersionsMustBeWellFormed);
    CPPUNIT_TEST(capabilitiesAndSchemaMustBeJsonOfTheRightShape);
    CPPUNIT_TEST(theOperationTableMustMatchTheKind);
    CPPUNIT_TEST(aTruncatedDescriptorIsRefused);
    CPPUNIT_TEST(copyKeepsWhatTheHostNeeds);
    CPPUNIT_TEST_SUITE_END();

public:
    void aCompleteDescriptorIsAccepted() {
        auto d = validPsp();
        CPPUNIT_ASSERT(checkDescriptor(&d).empty());
        tinko_plugin_descriptor channel = d;
        channel.kind = TINKO_KIND_CHANNEL;
        channel.psp = nullptr;
        channel.channel = &kChannelOps;
        CPPUNIT_ASSERT(checkDescriptor(&channel).empty());
        CPPUNIT_ASSERT(mentions(checkDescriptor(nullptr), "no descriptor"));
    }

    void anotherAbiMajorIsRefusedWithBothVersions() {
        auto d = validPsp();
        d.abi_major = 2;
        d.abi_minor = 0;
        auto problems = checkDescriptor(&d, 1, 0);
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), problems.size());
        CPPUNIT_ASSERT(mentions(problems, "built for ABI 2.0, but this host speaks ABI 1.0"));
    }

    void aNewerAbiMinorIsRefused() {
        auto d = validPsp();
        d.abi_minor = 7;
        CPPUNIT_ASSERT(mentions(checkDescriptor(&d, 1, 3), "ABI 1.7, newer than this host's ABI 1.3"));
    }

    void anOlderAbiMinorIsAccepted() {
        auto d = validPsp();
        d.abi_minor = 0;
        CPPUNIT_ASSERT(checkDescriptor(&d, 1, 4).empty());
    }

    // A plugin built against ABI 1.0 has a shorter PSP table, ending before complete_checkout.
    void anAbi10OperationTableIsAccepted() {
        tinko_psp_operations ops = kPspOps;
        ops.struct_size = offsetof(tinko_psp_operations, complete_checkout);
        auto d = validPsp();
        d.abi_minor = 0;
        d.psp = &ops;
        CPPUNIT_ASSERT(checkDescriptor(&d).empty());
        ops.struct_size = offsetof(tinko_psp_operations, parse_webhook);
        CPPUNIT_ASSERT(mentions(checkDescriptor(&d), "smaller than ABI 1.0's"));
    }

    void missingFieldsAreEachNamed() {
        auto d = validPsp();
        d.name = nullptr;
        d.version = nullptr;
        d.config_schema = nullptr;
        d.capabilities = nullptr;
        d.create = nullptr;
        d.destroy = nullptr;
        auto problems = checkDescriptor(&d);
        for (const char* field : {"name is missing", "version is missing", "config_schema is missing",
                                  "capabilities is missing", "create is missing", "destroy is missing"})
            CPPUNIT_ASSERT_MESSAGE(field, mentions(problems, field));
    }

    void namesAndVersionsMustBeWellFormed() {
        auto d = validPsp();
        d.name = "Stripe Payments";
        d.version = "1.2";
        auto problems = checkDescriptor(&d);
        CPPUNIT_ASSERT(mentions(problems, "name 'Stripe Payments' must match"));
        CPPUNIT_ASSERT(mentions(problems, "version '1.2' is not a semantic version"));
        d.name = "notify-smtp";
        d.version = "2.0.0-rc.1+build.5";
        CPPUNIT_ASSERT(checkDescriptor(&d).empty());
    }

    void capabilitiesAndSchemaMustBeJsonOfTheRightShape() {
        auto d = validPsp();
        d.capabilities = R"({"checkout":true})";
        d.config_schema = R"({"type":"array"})";
        auto problems = checkDescriptor(&d);
        CPPUNIT_ASSERT(mentions(problems, "capabilities must be a JSON array of strings"));
        CPPUNIT_ASSERT(mentions(problems, "config_schema must describe an object"));
        d.capabilities = "[1]";
        d.config_schema = "{not json";
        problems = checkDescriptor(&d);
        CPPUNIT_ASSERT(mentions(problems, "capabilities must be a JSON array of strings"));
        CPPUNIT_ASSERT(mentions(problems, "config_schema must be a JSON object"));
    }

    void theOperationTableMustMatchTheKind() {
        auto d = validPsp();
        d.psp = nullptr;
        CPPUNIT_ASSERT(mentions(checkDescriptor(&d), "psp operation table is missing"));
        tinko_psp_operations partial = kPspOps;
        partial.retry_charge = nullptr;
        d.psp = &partial;
        CPPUNIT_ASSERT(mentions(checkDescriptor(&d), "psp operation retry_charge is missing"));
        d = validPsp();
        d.kind = 9;
        CPPUNIT_ASSERT(mentions(checkDescriptor(&d), "kind must be TINKO_KIND_PSP or TINKO_KIND_CHANNEL, got 9"));
    }

    void aTruncatedDescriptorIsRefused() {
        auto d = validPsp();
        d.struct_size = 24;
        CPPUNIT_ASSERT(mentions(checkDescriptor(&d), "smaller than ABI 1.0's"));
    }

    void copyKeepsWhatTheHostNeeds() {
        auto d = validPsp();
        PluginDescriptor copy = copyDescriptor(d);
        CPPUNIT_ASSERT(copy.kind == PluginKind::Psp);
        CPPUNIT_ASSERT_EQUAL(std::string("stripe"), copy.name);
        CPPUNIT_ASSERT_EQUAL(std::string("1.2.3"), copy.version);
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), copy.capabilities.size());
        CPPUNIT_ASSERT_EQUAL(std::string("retry_charge"), copy.capabilities[1]);
        CPPUNIT_ASSERT(copy.configSchema.find("secret_key") != std::string::npos);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(PluginDescriptorTest);
