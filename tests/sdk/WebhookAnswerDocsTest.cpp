// sdk/README.md's table of what a provider is answered when verify_webhook or parse_webhook
// fails says what the host does (recovery::pluginRefusal, answered by api::webhookAnswer): every error category is in exactly one
// row, and each row's statuses are the host's, from each operation.
#include "TestSupport.h"
#include "api/WebhooksApi.h"

#include <cppunit/extensions/HelperMacros.h>

#include <map>
#include <vector>
#include <sstream>
#include <string>

using tinko::recovery::WebhookStep;

namespace {

const std::map<std::string, tinko_error_category> kCategories = {
    {"invalid_input", TINKO_ERR_INVALID_INPUT}, {"invalid_config", TINKO_ERR_INVALID_CONFIG},
    {"auth", TINKO_ERR_AUTH},                   {"provider", TINKO_ERR_PROVIDER},
    {"network", TINKO_ERR_NETWORK},             {"unsupported", TINKO_ERR_UNSUPPORTED},
    {"internal", TINKO_ERR_INTERNAL},           {"opted_out", TINKO_ERR_OPTED_OUT}};

// The status the provider gets when `step` fails with `category`.
int statusOf(WebhookStep step, tinko_error_category category) {
    tinko::plugins::PluginError error;
    error.category = category;
    return tinko::api::webhookAnswer(tinko::recovery::pluginRefusal(step, error)).status;
}

std::vector<std::string> cellsOf(const std::string& row) {
    std::vector<std::string> cells;
    std::size_t start = 1;
    for (std::size_t bar = row.find('|', start); bar != std::string::npos; bar = row.find('|', start)) {
        cells.push_back(row.substr(start, bar - start));
        start = bar + 1;
    }
    return cells;
}

}  // namespace

class WebhookAnswerDocsTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(WebhookAnswerDocsTest);
    CPPUNIT_TEST(theSdkReadmeTableIsWhatTheHostAnswers);
    CPPUNIT_TEST_SUITE_END();

public:
    void theSdkReadmeTableIsWhatTheHostAnswers() {
        const std::string readme = tinko::test::readFile(TINKO_SOURCE_DIR "/sdk/README.md");
        const std::size_t at = readme.find("| error category | from `verify_webhook` | from `parse_webhook` |");
        CPPUNIT_ASSERT_MESSAGE("sdk/README.md has no webhook error table", at != std::string::npos);
        std::istringstream lines(readme.substr(at));
        std::string line;
        std::getline(lines, line);   // the header
        std::getline(lines, line);   // the rule
        std::map<std::string, int> rowsNaming;
        while (std::getline(lines, line) && line.rfind("|", 0) == 0) {
            const std::vector<std::string> cells = cellsOf(line);
            CPPUNIT_ASSERT_MESSAGE(line, cells.size() >= 3);
            const int fromVerify = std::stoi(cells[1]);
            const int fromParse = std::stoi(cells[2]);
            // The backquoted names of the first cell, before any parenthesis.
            const std::string names = cells[0].substr(0, cells[0].find('('));
            for (std::size_t open = names.find('`'); open != std::string::npos; open = names.find('`', open + 1)) {
                const std::size_t close = names.find('`', open + 1);
                const std::string name = names.substr(open + 1, close - open - 1);
                open = close;
                CPPUNIT_ASSERT_MESSAGE("not a category: " + name, kCategories.count(name) == 1);
                ++rowsNaming[name];
                const tinko_error_category category = kCategories.at(name);
                CPPUNIT_ASSERT_EQUAL_MESSAGE(name + " from verify_webhook", statusOf(WebhookStep::Verify, category), fromVerify);
                CPPUNIT_ASSERT_EQUAL_MESSAGE(name + " from parse_webhook", statusOf(WebhookStep::Parse, category), fromParse);
            }
        }
        for (const auto& [name, category] : kCategories)
            CPPUNIT_ASSERT_EQUAL_MESSAGE(name + " is in exactly one row", 1, rowsNaming[name]);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(WebhookAnswerDocsTest);
