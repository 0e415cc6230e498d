// abi.h's layout is a promise: a minor version only appends fields, and any layout change comes
// with a new TINKO_ABI_MINOR. tests/sdk/abi-layout-<major>.<minor>.txt records each version's layout
// (sizeof of each struct, offset of each field, value of each constant, on LP64: x86_64 and
// aarch64). This suite recomputes the layout and fails when it differs from the current version's
// fixture, or when an older fixture's field moved (as Envoy's dynamic-module ABI check does).
#include "tinko/abi.h"

#include <cppunit/extensions/HelperMacros.h>

#include <cstddef>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

namespace {

struct Field {
    std::string name;
    std::size_t offset;
    std::size_t size;
};
struct Struct {
    std::string name;
    std::size_t size;
    std::size_t align;
    std::vector<Field> fields;   // every field, in declaration order
};

#define TINKO_FIELD(T, f) Field{#f, offsetof(T, f), sizeof(((T*)nullptr)->f)}
#define TINKO_STRUCT(T, ...) Struct{#T, sizeof(T), alignof(T), {__VA_ARGS__}}

// Every struct of abi.h with every field. A field added to abi.h must be added here too (the
// completeness check below notices a struct that grew beyond its listed fields).
std::vector<Struct> currentStructs() {
    return {
        TINKO_STRUCT(tinko_str, TINKO_FIELD(tinko_str, ptr), TINKO_FIELD(tinko_str, len)),
        TINKO_STRUCT(tinko_error, TINKO_FIELD(tinko_error, struct_size), TINKO_FIELD(tinko_error, category),
                     TINKO_FIELD(tinko_error, retryable), TINKO_FIELD(tinko_error, provider_code),
                     TINKO_FIELD(tinko_error, message)),
        TINKO_STRUCT(tinko_header, TINKO_FIELD(tinko_header, name), TINKO_FIELD(tinko_header, value)),
        TINKO_STRUCT(tinko_http_request, TINKO_FIELD(tinko_http_request, struct_size), TINKO_FIELD(tinko_http_request, method),
                     TINKO_FIELD(tinko_http_request, url), TINKO_FIELD(tinko_http_request, headers),
                     TINKO_FIELD(tinko_http_request, header_count), TINKO_FIELD(tinko_http_request, body),
                     TINKO_FIELD(tinko_http_request, timeout_ms)),
        TINKO_STRUCT(tinko_http_response, TINKO_FIELD(tinko_http_response, struct_size),
                     TINKO_FIELD(tinko_http_response, status), TINKO_FIELD(tinko_http_response, headers),
                     TINKO_FIELD(tinko_http_response, header_count), TINKO_FIELD(tinko_http_response, body),
                     TINKO_FIELD(tinko_http_response, transport_error), TINKO_FIELD(tinko_http_response, host_data)),
        TINKO_STRUCT(tinko_host_services, TINKO_FIELD(tinko_host_services, struct_size), TINKO_FIELD(tinko_host_services, ctx),
                     TINKO_FIELD(tinko_host_services, result_set_json), TINKO_FIELD(tinko_host_services, result_set_error),
                     TINKO_FIELD(tinko_host_services, http_request), TINKO_FIELD(tinko_host_services, http_response_free),
                     TINKO_FIELD(tinko_host_services, stream_open), TINKO_FIELD(tinko_host_services, stream_write),
                     TINKO_FIELD(tinko_host_services, stream_read), TINKO_FIELD(tinko_host_services, stream_start_tls),
                     TINKO_FIELD(tinko_host_services, stream_error), TINKO_FIELD(tinko_host_services, stream_close),
                     TINKO_FIELD(tinko_host_services, log), TINKO_FIELD(tinko_host_services, now_unix_ms),
                     TINKO_FIELD(tinko_host_services, random_bytes)),
        TINKO_STRUCT(tinko_psp_operations, TINKO_FIELD(tinko_psp_operations, struct_size),
                     TINKO_FIELD(tinko_psp_operations, describe), TINKO_FIELD(tinko_psp_operations, validate_config),
                     TINKO_FIELD(tinko_psp_operations, classify), TINKO_FIELD(tinko_psp_operations, create_checkout),
                     TINKO_FIELD(tinko_psp_operations, retry_charge), TINKO_FIELD(tinko_psp_operations, verify_webhook),
                     TINKO_FIELD(tinko_psp_operations, parse_webhook), TINKO_FIELD(tinko_psp_operations, complete_checkout)),
        TINKO_STRUCT(tinko_channel_operations, TINKO_FIELD(tinko_channel_operations, struct_size),
                     TINKO_FIELD(tinko_channel_operations, describe), TINKO_FIELD(tinko_channel_operations, validate_config),
                     TINKO_FIELD(tinko_channel_operations, send), TINKO_FIELD(tinko_channel_operations, parse_callback)),
        TINKO_STRUCT(tinko_plugin_descriptor, TINKO_FIELD(tinko_plugin_descriptor, struct_size),
                     TINKO_FIELD(tinko_plugin_descriptor, abi_major), TINKO_FIELD(tinko_plugin_descriptor, abi_minor),
                     TINKO_FIELD(tinko_plugin_descriptor, kind), TINKO_FIELD(tinko_plugin_descriptor, name),
                     TINKO_FIELD(tinko_plugin_descriptor, version), TINKO_FIELD(tinko_plugin_descriptor, capabilities),
                     TINKO_FIELD(tinko_plugin_descriptor, config_schema), TINKO_FIELD(tinko_plugin_descriptor, create),
                     TINKO_FIELD(tinko_plugin_descriptor, destroy), TINKO_FIELD(tinko_plugin_descriptor, psp),
                     TINKO_FIELD(tinko_plugin_descriptor, channel)),
    };
}
#undef TINKO_FIELD
#undef TINKO_STRUCT

#define TINKO_VALUE(name) std::pair<std::string, long>{#name, static_cast<long>(name)}
std::vector<std::pair<std::string, long>> currentValues() {
    return {TINKO_VALUE(TINKO_OK),
            TINKO_VALUE(TINKO_ERROR),
            TINKO_VALUE(TINKO_ERR_INVALID_INPUT),
            TINKO_VALUE(TINKO_ERR_INVALID_CONFIG),
            TINKO_VALUE(TINKO_ERR_AUTH),
            TINKO_VALUE(TINKO_ERR_PROVIDER),
            TINKO_VALUE(TINKO_ERR_NETWORK),
            TINKO_VALUE(TINKO_ERR_UNSUPPORTED),
            TINKO_VALUE(TINKO_ERR_INTERNAL),
            TINKO_VALUE(TINKO_ERR_OPTED_OUT),
            TINKO_VALUE(TINKO_LOG_DEBUG),
            TINKO_VALUE(TINKO_LOG_INFO),
            TINKO_VALUE(TINKO_LOG_WARN),
            TINKO_VALUE(TINKO_LOG_ERROR),
            TINKO_VALUE(TINKO_KIND_PSP),
            TINKO_VALUE(TINKO_KIND_CHANNEL)};
}
#undef TINKO_VALUE

// A layout as the fixtures write it, one entry a line:
//   size <struct> <sizeof>      field <struct>.<field> <offset>      value <constant> <value>
using Layout = std::map<std::string, long>;   // "size tinko_str" -> 16, "field tinko_str.len" -> 8, ...

Layout currentLayout() {
    Layout out;
    for (const Struct& s : currentStructs()) {
        out["size " + s.name] = static_cast<long>(s.size);
        for (const Field& f : s.fields) out["field " + s.name + "." + f.name] = static_cast<long>(f.offset);
    }
    for (const auto& [name, value] : currentValues()) out["value " + name] = value;
    return out;
}

std::string fixtureText(const Layout& layout, int major, int minor) {
    std::ostringstream out;
    out << "# Tinko plugin ABI " << major << "." << minor
        << " layout on LP64 (x86_64, aarch64), checked by tests/sdk/AbiLayoutTest.cpp.\n"
           "# Never edit a released version's file: a layout change needs a new TINKO_ABI_MINOR and a new file.\n";
    // Structs and fields in declaration order, then constants, so a diff reads like abi.h.
    for (const Struct& s : currentStructs()) {
        out << "size " << s.name << " " << layout.at("size " + s.name) << "\n";
        for (const Field& f : s.fields) out << "field " << s.name << "." << f.name << " " << layout.at("field " + s.name + "." + f.name) << "\n";
    }
    for (const auto& [name, value] : currentValues()) out << "value " << name << " " << value << "\n";
    return out.str();
}

Layout readFixture(const std::filesystem::path& path) {
    Layout out;
    std::ifstream in(path);
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#') continue;
        std::istringstream words(line);
        std::string kind, name;
        long value = 0;
        if (!(words >> kind >> name >> value)) throw std::runtime_error(path.string() + ": cannot read line '" + line + "'");
        out[kind + " " + name] = value;
    }
    return out;
}

std::filesystem::path fixtureDir() { return std::filesystem::path(TINKO_SOURCE_DIR) / "tests" / "sdk"; }

// The fixtures of this major version, by minor.
std::map<int, std::filesystem::path> fixtures() {
    std::map<int, std::filesystem::path> out;
    const std::regex name("abi-layout-([0-9]+)\\.([0-9]+)\\.txt");
    for (const auto& entry : std::filesystem::directory_iterator(fixtureDir())) {
        std::smatch m;
        const std::string file = entry.path().filename().string();
        if (std::regex_match(file, m, name) && std::stoi(m[1]) == TINKO_ABI_MAJOR) out[std::stoi(m[2])] = entry.path();
    }
    return out;
}

std::string versionText(int minor) { return std::to_string(TINKO_ABI_MAJOR) + "." + std::to_string(minor); }

// What `older` promised that `current` breaks: a field moved or gone, a struct shrunk, a constant
// changed, or a new field not appended after the older struct's end.
std::vector<std::string> appendOnlyViolations(const Layout& older, const Layout& current, const std::string& olderVersion) {
    std::vector<std::string> out;
    for (const auto& [key, value] : older) {
        auto now = current.find(key);
        if (now == current.end()) out.push_back(key + " of ABI " + olderVersion + " is gone");
        else if (key.rfind("size ", 0) == 0 && now->second < value)
            out.push_back(key + " shrank from " + std::to_string(value) + " to " + std::to_string(now->second));
        else if (key.rfind("size ", 0) != 0 && now->second != value)
            out.push_back(key + " was " + std::to_string(value) + " in ABI " + olderVersion + ", is " + std::to_string(now->second));
    }
    for (const auto& [key, offset] : current) {
        if (key.rfind("field ", 0) != 0 || older.count(key)) continue;
        const std::string structName = key.substr(6, key.find('.') - 6);
        auto oldSize = older.find("size " + structName);
        if (oldSize != older.end() && offset < oldSize->second)
            out.push_back(key + " (new) is at offset " + std::to_string(offset) + ", inside ABI " + olderVersion +
                          "'s " + std::to_string(oldSize->second) + " bytes: new fields go at the end");
    }
    return out;
}

std::string joined(const std::vector<std::string>& lines) {
    std::string out;
    for (const auto& l : lines) out += "\n  " + l;
    return out;
}

}  // namespace

class AbiLayoutTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(AbiLayoutTest);
    CPPUNIT_TEST(everyFieldIsListed);
    CPPUNIT_TEST(theLayoutIsTheCurrentVersionsFixture);
    CPPUNIT_TEST(olderVersionsFieldsKeepTheirOffsets);
    CPPUNIT_TEST(theChecksCatchAMovedOrInsertedField);
    CPPUNIT_TEST(hasFieldReadsTheOtherSidesSize);
    CPPUNIT_TEST_SUITE_END();

public:
    // A struct whose sizeof is more than its listed fields (rounded up to its alignment) has a field
    // this suite does not know.
    void everyFieldIsListed() {
        for (const Struct& s : currentStructs()) {
            const Field& last = s.fields.back();
            const std::size_t end = (last.offset + last.size + s.align - 1) / s.align * s.align;
            CPPUNIT_ASSERT_EQUAL_MESSAGE(s.name + " has a field missing from currentStructs() in AbiLayoutTest.cpp", s.size, end);
        }
    }

    void theLayoutIsTheCurrentVersionsFixture() {
#if !(defined(__x86_64__) || defined(__aarch64__))
        return;   // the fixtures describe LP64
#endif
        const auto all = fixtures();
        const std::string current = versionText(TINKO_ABI_MINOR);
        const std::string expected = fixtureText(currentLayout(), TINKO_ABI_MAJOR, TINKO_ABI_MINOR);
        auto it = all.find(TINKO_ABI_MINOR);
        CPPUNIT_ASSERT_MESSAGE("no fixture for ABI " + current + ": add tests/sdk/abi-layout-" + current + ".txt holding:\n" + expected,
                               it != all.end());
        const Layout recorded = readFixture(it->second);
        std::vector<std::string> differences;
        for (const auto& [key, value] : currentLayout()) {
            auto r = recorded.find(key);
            if (r == recorded.end()) differences.push_back(key + " " + std::to_string(value) + " (not in the fixture)");
            else if (r->second != value) differences.push_back(key + " is " + std::to_string(value) + ", the fixture says " + std::to_string(r->second));
        }
        for (const auto& [key, value] : recorded)
            if (!currentLayout().count(key)) differences.push_back(key + " is in the fixture, no longer in abi.h");
        CPPUNIT_ASSERT_MESSAGE("abi.h's layout differs from tests/sdk/abi-layout-" + current + ".txt while TINKO_ABI_MINOR is still " +
                                   std::to_string(TINKO_ABI_MINOR) + ":" + joined(differences) +
                                   "\nbump TINKO_ABI_MINOR and add a new fixture tests/sdk/abi-layout-" +
                                   versionText(TINKO_ABI_MINOR + 1) + ".txt (keep the older ones) holding:\n" +
                                   fixtureText(currentLayout(), TINKO_ABI_MAJOR, TINKO_ABI_MINOR + 1),
                               differences.empty());
        for (const auto& [minor, path] : all)
            CPPUNIT_ASSERT_MESSAGE(path.string() + " is for a version newer than abi.h's " + current + ": bump TINKO_ABI_MINOR",
                                   minor <= TINKO_ABI_MINOR);
    }

    // Every older minor's fixture stays: its fields keep their offsets, its structs do not shrink.
    void olderVersionsFieldsKeepTheirOffsets() {
#if !(defined(__x86_64__) || defined(__aarch64__))
        return;
#endif
        const auto all = fixtures();
        for (int minor = 0; minor < TINKO_ABI_MINOR; ++minor) {
            auto it = all.find(minor);
            CPPUNIT_ASSERT_MESSAGE("tests/sdk/abi-layout-" + versionText(minor) + ".txt is missing: older fixtures stay",
                                   it != all.end());
            const auto broken = appendOnlyViolations(readFixture(it->second), currentLayout(), versionText(minor));
            CPPUNIT_ASSERT_MESSAGE("abi.h breaks ABI " + versionText(minor) + " (a minor version may only append fields):" +
                                       joined(broken),
                                   broken.empty());
        }
    }

    // The checks themselves: a field moved, a field inserted before the end, a struct shrunk.
    void theChecksCatchAMovedOrInsertedField() {
        const Layout older = {{"size s", 16}, {"field s.a", 0}, {"field s.b", 8}};
        CPPUNIT_ASSERT(appendOnlyViolations(older, {{"size s", 24}, {"field s.a", 0}, {"field s.b", 8}, {"field s.c", 16}}, "1.0").empty());
        const auto moved = appendOnlyViolations(older, {{"size s", 24}, {"field s.a", 0}, {"field s.c", 8}, {"field s.b", 16}}, "1.0");
        CPPUNIT_ASSERT_EQUAL(std::size_t(2), moved.size());
        CPPUNIT_ASSERT_MESSAGE(joined(moved), joined(moved).find("field s.b was 8 in ABI 1.0, is 16") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(joined(moved), joined(moved).find("new fields go at the end") != std::string::npos);
        const auto shrunk = appendOnlyViolations(older, {{"size s", 8}, {"field s.a", 0}}, "1.0");
        CPPUNIT_ASSERT_MESSAGE(joined(shrunk), joined(shrunk).find("field s.b of ABI 1.0 is gone") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(joined(shrunk), joined(shrunk).find("size s shrank from 16 to 8") != std::string::npos);
    }

    // TINKO_HAS_FIELD: a field is there when the struct_size covers its last byte.
    void hasFieldReadsTheOtherSidesSize() {
        tinko_psp_operations ops{};
        ops.struct_size = sizeof ops;
        CPPUNIT_ASSERT(TINKO_HAS_FIELD(&ops, tinko_psp_operations, complete_checkout));
        ops.struct_size = offsetof(tinko_psp_operations, complete_checkout);   // ABI 1.0's table
        CPPUNIT_ASSERT(!TINKO_HAS_FIELD(&ops, tinko_psp_operations, complete_checkout));
        CPPUNIT_ASSERT(TINKO_HAS_FIELD(&ops, tinko_psp_operations, parse_webhook));
        ops.struct_size = offsetof(tinko_psp_operations, complete_checkout) + 4;   // half a pointer is no field
        CPPUNIT_ASSERT(!TINKO_HAS_FIELD(&ops, tinko_psp_operations, complete_checkout));
        const tinko_error* none = nullptr;
        CPPUNIT_ASSERT(!TINKO_HAS_FIELD(none, tinko_error, struct_size));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(AbiLayoutTest);
