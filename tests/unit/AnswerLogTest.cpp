// The answer log openapi.RecordedAnswers reads (tests/support/AnswerLog.h): one JSON line per answer
// of a host this process started, none for other servers, a fresh file per run, and JSON that
// stays valid whatever bytes a body holds.
#include "AnswerLog.h"
#include "TestSupport.h"

#include <cppunit/extensions/HelperMacros.h>

#include <cstdlib>
#include <fstream>

using namespace tinko::test;

class AnswerLogTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(AnswerLogTest);
    // First: the log is opened (and truncated) by the first use in the process.
    CPPUNIT_TEST(onlyAHostsAnswersAreRecordedInAFreshFile);
    CPPUNIT_TEST(jsonStringsEscapeWhatJsonMust);
    CPPUNIT_TEST(bytesThatAreNotUtf8StayValidJson);
    CPPUNIT_TEST_SUITE_END();

public:
    void onlyAHostsAnswersAreRecordedInAFreshFile() {
        TempDir dir;
        const std::string path = dir.path() + "/SomeEndToEndTest.jsonl";
        std::ofstream(path) << "{\"a line of the last run\":1}\n";
        setenv("TINKO_ANSWER_LOG", path.c_str(), 1);

        noteHostPort(4242);
        recordAnswer(4242, "GET", "/v1/recoveries/7?limit=2", 200, "application/json", "{\"id\":\"7\"}");
        recordAnswer(5151, "GET", "/a-fake", 200, "application/json", "{}");   // not a host's
        forgetHostPort(4242);
        recordAnswer(4242, "GET", "/after-it-stopped", 200, "application/json", "{}");
        unsetenv("TINKO_ANSWER_LOG");

        CPPUNIT_ASSERT_EQUAL(std::string("{\"method\":\"GET\",\"path\":\"/v1/recoveries/7\",\"status\":200,"
                                         "\"content_type\":\"application/json\",\"body\":\"{\\\"id\\\":\\\"7\\\"}\"}\n"),
                             readFile(path));
    }

    void jsonStringsEscapeWhatJsonMust() {
        CPPUNIT_ASSERT_EQUAL(std::string(R"("a \"b\" \\ c\n\r\t\u0001\u007f")"), jsonString("a \"b\" \\ c\n\r\t\x01\x7f"));
        CPPUNIT_ASSERT_EQUAL(std::string("\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x92\xb3\""), jsonString("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x92\xb3"));
    }

    void bytesThatAreNotUtf8StayValidJson() {
        CPPUNIT_ASSERT_EQUAL(std::string(R"("\u00ff")"), jsonString("\xff"));
        CPPUNIT_ASSERT_EQUAL(std::string(R"("a\u00c3")"), jsonString("a\xc3"));               // cut short
        CPPUNIT_ASSERT_EQUAL(std::string(R"("\u00c0\u00af")"), jsonString("\xc0\xaf"));       // overlong '/'
        CPPUNIT_ASSERT_EQUAL(std::string(R"("\u00ed\u00a0\u0080")"), jsonString("\xed\xa0\x80"));   // a surrogate
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(AnswerLogTest);
