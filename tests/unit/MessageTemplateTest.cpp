// Message templates are checked when saved: Mustache that does not compile, a variable nobody
// fills in, a partial, a subject on SMS are refused naming the field; a good one renders.
#include "notify/Locales.h"
#include "notify/MessageTemplate.h"

#include <cppunit/extensions/HelperMacros.h>

using namespace tinko::notify;

namespace {
MessageTemplate email(const std::string& text, const std::string& subject = "Payment to {{merchant_name}}") {
    MessageTemplate t;
    t.name = "reminder";
    t.channel = "email";
    t.locale = "de-AT";
    t.subject = subject;
    t.text = text;
    return t;
}

std::string problemOf(const MessageTemplate& t, const std::string& field) {
    for (const auto& [f, why] : templateProblems(t))
        if (f == field) return why;
    return "";
}
}  // namespace

class MessageTemplateTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(MessageTemplateTest);
    CPPUNIT_TEST(everyDocumentedVariableAndSectionIsAccepted);
    CPPUNIT_TEST(mustacheThatDoesNotCompileIsRefusedNamingTheField);
    CPPUNIT_TEST(unknownVariablesAreRefusedNamingFieldAndVariable);
    CPPUNIT_TEST(delimiterChangesAreFollowed);
    CPPUNIT_TEST(channelsHaveTheirOwnFields);
    CPPUNIT_TEST(localesAreBcp47AndCanonical);
    CPPUNIT_TEST(renderingEscapesOnlyTheHtml);
    CPPUNIT_TEST(unescapedVariablesAreRefusedInHtmlOnly);
    CPPUNIT_TEST(htmlStoredWithUnescapedVariablesStillRendersEscaped);
    CPPUNIT_TEST_SUITE_END();

public:
    void everyDocumentedVariableAndSectionIsAccepted() {
        auto t = email("Hallo {{customer_name}}, {{amount}} an {{merchant_name}}: {{{link}}} bis {{ expires_at }}, "
                       "Versuch {{&attempt}}.{{#customer_name}} ({{.}}){{/customer_name}}{{^attempt}}erster{{/attempt}}{{! note }}");
        t.html = "<a href=\"{{link}}\">{{amount}}</a>";
        CPPUNIT_ASSERT(templateProblems(t).empty());
    }

    void mustacheThatDoesNotCompileIsRefusedNamingTheField() {
        auto why = problemOf(email("Hallo {{#customer_name}} no end"), "text");
        CPPUNIT_ASSERT_MESSAGE(why, why.find("does not compile") != std::string::npos);
        CPPUNIT_ASSERT(problemOf(email("fine {{amount}}", "Bad {{merchant_name"), "subject").find("does not compile") == 0);
        auto t = email("fine");
        t.html = "<p>{{#amount}}</p>";
        CPPUNIT_ASSERT(!problemOf(t, "html").empty());
        CPPUNIT_ASSERT(problemOf(t, "text").empty());
    }

    void unknownVariablesAreRefusedNamingFieldAndVariable() {
        auto why = problemOf(email("Hallo {{first_name}}"), "text");
        CPPUNIT_ASSERT_MESSAGE(why, why.find("'first_name'") != std::string::npos);
        CPPUNIT_ASSERT(problemOf(email("x", "{{#vip}}VIP{{/vip}}"), "subject").find("'vip'") != std::string::npos);
        CPPUNIT_ASSERT(problemOf(email("{{{raw}}}"), "text").find("'raw'") != std::string::npos);
        CPPUNIT_ASSERT(problemOf(email("{{customer.name}}"), "text").find("'customer.name'") != std::string::npos);
        CPPUNIT_ASSERT(problemOf(email("{{.}}"), "text").find("'.'") != std::string::npos);   // only inside a section
        CPPUNIT_ASSERT(problemOf(email("{{> footer}}"), "text").find("partial") != std::string::npos);
    }

    void delimiterChangesAreFollowed() {
        CPPUNIT_ASSERT(templateProblems(email("{{=<% %>=}}Hallo <% customer_name %>, {{ not a tag }}")).empty());
        CPPUNIT_ASSERT(problemOf(email("{{=<% %>=}}<% nope %>"), "text").find("'nope'") != std::string::npos);
    }

    void channelsHaveTheirOwnFields() {
        CPPUNIT_ASSERT_EQUAL(std::string("is required for email"), problemOf(email("x", ""), "subject"));
        MessageTemplate sms;
        sms.name = "sms";
        sms.channel = "sms";
        sms.locale = "en";
        sms.text = "{{merchant_name}}: {{link}}";
        CPPUNIT_ASSERT(templateProblems(sms).empty());
        sms.subject = "x";
        sms.html = "<p></p>";
        CPPUNIT_ASSERT(!problemOf(sms, "subject").empty());
        CPPUNIT_ASSERT(!problemOf(sms, "html").empty());
        sms.channel = "fax";
        CPPUNIT_ASSERT(!problemOf(sms, "channel").empty());
        CPPUNIT_ASSERT(!problemOf(email(""), "text").empty());
    }

    void localesAreBcp47AndCanonical() {
        CPPUNIT_ASSERT_EQUAL(std::string("de-AT"), *canonicalLocale("de_at"));
        CPPUNIT_ASSERT_EQUAL(std::string("zh-Hant-TW"), *canonicalLocale("ZH-hant-tw"));
        CPPUNIT_ASSERT_EQUAL(std::string("es-419"), *canonicalLocale("es-419"));
        for (const char* bad : {"", "e", "german", "de-", "de--AT", "12", "de AT", "de-abcdefghi"})
            CPPUNIT_ASSERT_MESSAGE(bad, !canonicalLocale(bad));
        auto t = email("x");
        t.locale = "Deutsch";
        CPPUNIT_ASSERT(!problemOf(t, "locale").empty());
        CPPUNIT_ASSERT_EQUAL(std::string("pt"), localeLanguage("PT_br"));
    }

    void renderingEscapesOnlyTheHtml() {
        auto t = email("Hallo {{customer_name}}, {{amount}}", "Zahlung an {{merchant_name}}");
        t.html = "<p>{{customer_name}}</p>";
        auto message = renderMessage(t, {{"customer_name", "Ann & <Bob>"}, {"amount", "19,99 €"}, {"merchant_name", "A&B"}});
        CPPUNIT_ASSERT_EQUAL(std::string("Zahlung an A&B"), message.subject);
        CPPUNIT_ASSERT_EQUAL(std::string("Hallo Ann & <Bob>, 19,99 €"), message.text);
        CPPUNIT_ASSERT_EQUAL(std::string("<p>Ann &amp; &lt;Bob&gt;</p>"), message.html);
    }

    void unescapedVariablesAreRefusedInHtmlOnly() {
        for (const char* html : {"<p>{{{customer_name}}}</p>", "<p>{{& customer_name}}</p>", "<p>{{&customer_name}}</p>",
                                 "{{=<% %>=}}<p><%& customer_name %></p>", "<p>{{{ link }}}</p>"}) {
            auto t = email("Hallo {{customer_name}}");
            t.html = html;
            const auto why = problemOf(t, "html");
            CPPUNIT_ASSERT_MESSAGE(html, why.find("unescaped variable") != std::string::npos);
            CPPUNIT_ASSERT_MESSAGE(why, why.find("write {{") != std::string::npos);
        }
        // Text and subject are not HTML: raw there is what a plain-text mail shows anyway.
        CPPUNIT_ASSERT(problemOf(email("{{{customer_name}}}", "{{&merchant_name}}"), "text").empty());
    }

    void htmlStoredWithUnescapedVariablesStillRendersEscaped() {
        auto t = email("x");
        t.html = "<p>{{{customer_name}}}|{{&customer_name}}|{{customer_name}}|{{#customer_name}}{{{.}}}{{/customer_name}}</p>";
        const auto html = renderMessage(t, {{"customer_name", "<img src=x onerror=alert(1)>"}}).html;
        const std::string escaped = "&lt;img src=x onerror=alert(1)&gt;";
        CPPUNIT_ASSERT_EQUAL("<p>" + escaped + "|" + escaped + "|" + escaped + "|" + escaped + "</p>", html);
        CPPUNIT_ASSERT_EQUAL(std::string("<b>"), renderMessage(email("{{customer_name}}"), {{"customer_name", "<b>"}}).text);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(MessageTemplateTest);
