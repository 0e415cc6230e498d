// Stripe's decline codes in Tinko's taxonomy: every row of decline-taxonomy.md's Stripe section,
// which code counts (decline_code, else code), and advice_code overriding the hardness.
#include "DeclineMapping.h"

#include <cppunit/extensions/HelperMacros.h>

#include <string>
#include <vector>

using tinko::stripe::classifyDecline;
using tinko::stripe::DeclineClass;

namespace {

std::string describe(const DeclineClass& c) {
    return c.category + "/" + c.hardness + "/" + (c.retryable ? "retryable" : "final");
}

}  // namespace

class DeclineMappingTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(DeclineMappingTest);
    CPPUNIT_TEST(everyCodeOfTheTaxonomyMapsToItsCategoryAndHardness);
    CPPUNIT_TEST(theDeclineCodeCountsBeforeTheCode);
    CPPUNIT_TEST(anUnmappedCodeIsUnknownAndSoft);
    CPPUNIT_TEST(adviceCodeOverridesTheHardness);
    CPPUNIT_TEST_SUITE_END();

public:
    void everyCodeOfTheTaxonomyMapsToItsCategoryAndHardness() {
        struct Row {
            std::vector<const char*> codes;
            const char* expected;
        };
        // decline-taxonomy.md, "Stripe", with the hardness its first table gives each category.
        const std::vector<Row> rows = {
            {{"insufficient_funds"}, "insufficient_funds/soft/retryable"},
            {{"card_velocity_exceeded", "withdrawal_count_limit_exceeded"}, "limit_exceeded/soft/retryable"},
            {{"processing_error", "issuer_not_available", "try_again_later", "reenter_transaction", "approve_with_id",
              "call_issuer"},
             "issuer_unavailable/soft/retryable"},
            {{"do_not_honor", "generic_decline", "no_action_taken", "not_permitted", "service_not_allowed",
              "transaction_not_allowed", "card_declined"},
             "generic_decline/soft/retryable"},
            {{"authentication_required", "offline_pin_required", "online_or_offline_pin_required", "pin_try_exceeded"},
             "authentication_required/customer/final"},
            {{"expired_card"}, "card_expired/customer/final"},
            {{"incorrect_number", "invalid_number", "incorrect_cvc", "invalid_cvc", "incorrect_zip", "incorrect_pin",
              "invalid_pin", "invalid_expiry_month", "invalid_expiry_year", "invalid_account", "invalid_amount"},
             "invalid_details/customer/final"},
            {{"card_not_supported", "currency_not_supported"}, "not_supported/customer/final"},
            {{"lost_card", "stolen_card", "pickup_card", "restricted_card", "revocation_of_authorization",
              "revocation_of_all_authorizations", "stop_payment_order", "new_account_information_available"},
             "lost_or_stolen/hard/final"},
            {{"fraudulent", "merchant_blacklist", "security_violation", "do_not_try_again"}, "fraud_suspected/hard/final"},
        };
        for (const Row& row : rows)
            for (const char* code : row.codes) {
                CPPUNIT_ASSERT_EQUAL_MESSAGE(std::string("decline_code ") + code, std::string(row.expected),
                                             describe(classifyDecline("card_declined", code)));
                CPPUNIT_ASSERT_EQUAL_MESSAGE(std::string("code ") + code, std::string(row.expected), describe(classifyDecline(code)));
            }
    }

    void theDeclineCodeCountsBeforeTheCode() {
        CPPUNIT_ASSERT_EQUAL(std::string("insufficient_funds/soft/retryable"),
                             describe(classifyDecline("card_declined", "insufficient_funds")));
        CPPUNIT_ASSERT_EQUAL(std::string("lost_or_stolen/hard/final"), describe(classifyDecline("card_declined", "stolen_card")));
        // A decline code the table does not know stays unknown, even with a known code beside it:
        // the issuer's reason is what the host counts to improve the mapping.
        CPPUNIT_ASSERT_EQUAL(std::string("unknown/soft/retryable"),
                             describe(classifyDecline("expired_card", "some_new_issuer_reason")));
    }

    void anUnmappedCodeIsUnknownAndSoft() {
        CPPUNIT_ASSERT_EQUAL(std::string("unknown/soft/retryable"), describe(classifyDecline("rate_limit")));
        CPPUNIT_ASSERT_EQUAL(std::string("unknown/soft/retryable"), describe(classifyDecline("")));
    }

    void adviceCodeOverridesTheHardness() {
        CPPUNIT_ASSERT_EQUAL(std::string("insufficient_funds/hard/final"),
                             describe(classifyDecline("card_declined", "insufficient_funds", "do_not_try_again")));
        CPPUNIT_ASSERT_EQUAL(std::string("card_expired/soft/retryable"),
                             describe(classifyDecline("expired_card", "", "try_again_later")));
        CPPUNIT_ASSERT_EQUAL(std::string("generic_decline/customer/final"),
                             describe(classifyDecline("card_declined", "do_not_honor", "confirm_card_data")));
        CPPUNIT_ASSERT_EQUAL(std::string("generic_decline/soft/retryable"),
                             describe(classifyDecline("card_declined", "generic_decline", "an_advice_not_known_yet")));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(DeclineMappingTest);
