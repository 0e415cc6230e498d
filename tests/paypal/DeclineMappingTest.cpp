// PayPal's issue and reason codes in Tinko's decline taxonomy: every row of decline-taxonomy.md's
// PayPal section, the capture issues this plugin adds, and the hardness each category carries.
#include "DeclineMapping.h"

#include <cppunit/extensions/HelperMacros.h>

#include <string>

using tinko::paypal::classifyDecline;
using tinko::paypal::DeclineClass;

namespace {

std::string classified(const std::string& code) {
    const DeclineClass c = classifyDecline(code);
    return c.category + "/" + c.hardness + "/" + (c.retryable ? "retry" : "no-retry");
}

}  // namespace

class DeclineMappingTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(DeclineMappingTest);
    CPPUNIT_TEST(taxonomyRowsMapAsWritten);
    CPPUNIT_TEST(addedCaptureIssues);
    CPPUNIT_TEST(codesAreComparedWithoutCase);
    CPPUNIT_TEST(unknownCodesAreUnknownAndSoft);
    CPPUNIT_TEST_SUITE_END();

public:
    void taxonomyRowsMapAsWritten() {
        for (const char* code : {"PAYER_CANNOT_PAY", "INSTRUMENT_DECLINED", "PAYMENT_DENIED", "TRANSACTION_REFUSED"})
            CPPUNIT_ASSERT_EQUAL_MESSAGE(code, std::string("generic_decline/soft/retry"), classified(code));
        CPPUNIT_ASSERT_EQUAL(std::string("issuer_unavailable/soft/retry"), classified("INTERNAL_SERVER_ERROR"));
        CPPUNIT_ASSERT_EQUAL(std::string("limit_exceeded/soft/retry"), classified("SENDING_LIMIT_EXCEEDED"));
        CPPUNIT_ASSERT_EQUAL(std::string("limit_exceeded/soft/retry"), classified("TRANSACTION_RECEIVING_LIMIT_EXCEEDED"));
        CPPUNIT_ASSERT_EQUAL(std::string("authentication_required/customer/no-retry"), classified("PAYER_ACTION_REQUIRED"));
        CPPUNIT_ASSERT_EQUAL(std::string("not_supported/customer/no-retry"), classified("CURRENCY_MISMATCH"));
        CPPUNIT_ASSERT_EQUAL(std::string("lost_or_stolen/hard/no-retry"), classified("PAYER_ACCOUNT_RESTRICTED"));
        CPPUNIT_ASSERT_EQUAL(std::string("lost_or_stolen/hard/no-retry"), classified("PAYEE_ACCOUNT_RESTRICTED"));
        CPPUNIT_ASSERT_EQUAL(std::string("customer_cancelled/customer/no-retry"),
                             classified("MAX_NUMBER_OF_PAYMENT_ATTEMPTS_EXCEEDED"));
    }

    void addedCaptureIssues() {
        CPPUNIT_ASSERT_EQUAL(std::string("generic_decline/soft/retry"), classified("DECLINED"));
        CPPUNIT_ASSERT_EQUAL(std::string("limit_exceeded/soft/retry"), classified("TRANSACTION_LIMIT_EXCEEDED"));
        CPPUNIT_ASSERT_EQUAL(std::string("authentication_required/customer/no-retry"),
                             classified("REDIRECT_PAYER_FOR_ALTERNATE_FUNDING"));
        CPPUNIT_ASSERT_EQUAL(std::string("card_expired/customer/no-retry"), classified("CARD_EXPIRED"));
        CPPUNIT_ASSERT_EQUAL(std::string("not_supported/customer/no-retry"), classified("CARD_BRAND_NOT_SUPPORTED"));
        CPPUNIT_ASSERT_EQUAL(std::string("customer_cancelled/customer/no-retry"), classified("ORDER_NOT_APPROVED"));
        CPPUNIT_ASSERT_EQUAL(std::string("lost_or_stolen/hard/no-retry"), classified("PAYER_ACCOUNT_LOCKED_OR_CLOSED"));
        CPPUNIT_ASSERT_EQUAL(std::string("fraud_suspected/hard/no-retry"), classified("COMPLIANCE_VIOLATION"));
        CPPUNIT_ASSERT_EQUAL(std::string("fraud_suspected/hard/no-retry"), classified("TRANSACTION_BLOCKED_BY_PAYEE"));
    }

    void codesAreComparedWithoutCase() {
        CPPUNIT_ASSERT_EQUAL(std::string("generic_decline/soft/retry"), classified("instrument_declined"));
    }

    void unknownCodesAreUnknownAndSoft() {
        CPPUNIT_ASSERT_EQUAL(std::string("unknown/soft/retry"), classified("SOMETHING_NEW"));
        CPPUNIT_ASSERT_EQUAL(std::string("unknown/soft/retry"), classified(""));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(DeclineMappingTest);
