// Razorpay's failure reasons in Tinko's taxonomy. Every reason in razorpay-error-reasons.tsv (the
// copy in fixtures/) must have an expected category here, and classify to it; the rows of
// decline-taxonomy.md's Razorpay section come first, the reasons it leaves out after them.
#include "RazorpayDeclines.h"

#include <cppunit/extensions/HelperMacros.h>

#include <fstream>
#include <map>
#include <set>
#include <string>
#include <vector>

using tinko::razorpay::classifyDecline;
using tinko::razorpay::DeclineClass;

namespace {

std::string describe(const DeclineClass& c) { return c.category + "/" + c.hardness + "/" + (c.retryable ? "retryable" : "final"); }

// The reasons of the TSV copy (its second column), skipping notes (#) and the header.
std::vector<std::string> reasonsOfTheTsv() {
    std::ifstream file(TINKO_RAZORPAY_ERROR_REASONS);
    std::vector<std::string> reasons;
    std::string line;
    while (std::getline(file, line)) {
        if (line.empty() || line[0] == '#' || line == "section\treason") continue;
        const std::size_t tab = line.find('\t');
        if (tab != std::string::npos) reasons.push_back(line.substr(tab + 1));
    }
    return reasons;
}

struct Row {
    std::vector<const char*> reasons;
    const char* expected;
};

// decline-taxonomy.md, "Razorpay", with the hardness its first table gives each category.
const std::vector<Row> kTaxonomyRows = {
    {{"insufficient_funds", "credit_limit_exceeded", "funds_blocked_by_mandate"}, "insufficient_funds/soft/retryable"},
    {{"transaction_limit_exceeded", "transaction_daily_limit_exceeded", "transaction_daily_count_exceeded",
      "transaction_frequency_limit_exceeded", "mcc_amount_limit_exceeded"},
     "limit_exceeded/soft/retryable"},
    {{"bank_technical_error", "gateway_technical_error", "issuer_technical_error", "bank_not_available", "payment_timed_out",
      "request_timed_out", "server_error", "payment_declined_due_to_high_traffic", "upi_app_technical_error",
      "psp_not_available", "bank_cutoff_in_progress"},
     "issuer_unavailable/soft/retryable"},
    {{"payment_failed", "payment_declined", "card_declined", "debit_declined", "authorisation_declined_by_psp"},
     "generic_decline/soft/retryable"},
    {{"authentication_failed", "incorrect_otp", "otp_expired", "otp_attempts_exceeded", "incorrect_pin", "incorrect_atm_pin",
      "pin_attempts_exceeded", "pin_not_set", "verification_failed"},
     "authentication_required/customer/final"},
    {{"card_expired", "credit_limit_expired"}, "card_expired/customer/final"},
    {{"incorrect_card_details", "incorrect_cvv", "incorrect_card_expiry_date", "card_number_invalid", "invalid_vpa",
      "vpa_resolution_failed", "bank_account_invalid", "beneficiary_account_does_not_exist"},
     "invalid_details/customer/final"},
    {{"card_type_invalid", "card_network_not_enabled", "international_transaction_not_allowed", "payment_method_not_enabled",
      "upi_collect_not_enabled", "recurring_payment_not_enabled"},
     "not_supported/customer/final"},
    {{"payment_cancelled", "payment_collect_request_expired", "payment_session_expired"}, "customer_cancelled/customer/final"},
    {{"debit_instrument_blocked", "debit_instrument_inactive"}, "lost_or_stolen/hard/final"},
    {{"payment_risk_check_failed", "compliance_violation", "payment_amount_tampered"}, "fraud_suspected/hard/final"},
};

// The TSV's reasons the taxonomy does not name, filed by what they mean for getting the money
// (the plugin's table, RazorpayDeclines.cpp, says why for each).
const std::vector<Row> kOtherRows = {
    {{"invalid_response_from_gateway", "psp_app_not_available", "duplicate_rrn_found", "mandate_creation_timeout",
      "capture_failed"},
     "issuer_unavailable/soft/retryable"},
    {{"mandate_creation_declined", "mandate_creation_failed", "credit_failed", "credit_not_permitted"},
     "generic_decline/soft/retryable"},
    {{"card_not_enrolled", "reqauth_mandate_not_acknowledged"}, "authentication_required/customer/final"},
    {{"bank_account_validation_failed", "beneficiary_account_dormant", "incorrect_cardholder_name", "invalid_email",
      "invalid_mobile_number", "mobile_number_invalid", "invalid_user_details"},
     "invalid_details/customer/final"},
    {{"bank_not_enabled", "emi_plan_unavailable", "emi_greater_than_max_amount", "invalid_currency", "invalid_device",
      "upi_autopay_not_supported_on_psp", "upi_intent_not_enabled", "psp_app_not_supported", "psp_not_registered",
      "user_not_registered_for_netbanking", "user_not_eligible", "transaction_on_vpa_restricted", "collect_on_mcc_blocked",
      "credit_limit_inactive", "credit_limit_not_approved", "order_payment_method_mismatch"},
     "not_supported/customer/final"},
    {{"mandate_creation_expired"}, "customer_cancelled/customer/final"},
    // Not declines: the merchant's request was wrong, or the payment may still complete.
    {{"amount_less_than_minimum_amount", "duplicate_refund_id", "duplicate_request", "input_validation_failed",
      "invalid_amount", "invalid_order_id", "invalid_request", "live_mode_not_enabled", "merchant_not_activated",
      "mismatch_in_transaction_details", "order_already_paid", "order_amount_mismatch", "record_not_found",
      "refund_limit_crossed", "collect_request_pending", "payment_pending", "payment_pending_approval", "deemed_transaction"},
     "unknown/soft/retryable"},
};

std::map<std::string, std::string> expectedByReason() {
    std::map<std::string, std::string> expected;
    for (const auto* rows : {&kTaxonomyRows, &kOtherRows})
        for (const Row& row : *rows)
            for (const char* reason : row.reasons) expected[reason] = row.expected;
    return expected;
}

}  // namespace

class RazorpayDeclinesTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(RazorpayDeclinesTest);
    CPPUNIT_TEST(theTsvIsRead);
    CPPUNIT_TEST(everyReasonOfTheTsvHasAnExpectedCategory);
    CPPUNIT_TEST(everyReasonMapsToItsExpectedCategory);
    CPPUNIT_TEST(theDeclineCodeCountsBeforeTheCode);
    CPPUNIT_TEST(bareErrorCodesAndUnmappedReasons);
    CPPUNIT_TEST_SUITE_END();

public:
    void theTsvIsRead() {
        const std::vector<std::string> reasons = reasonsOfTheTsv();
        CPPUNIT_ASSERT_EQUAL(std::size_t(123), reasons.size());   // with the duplicates across sections
        CPPUNIT_ASSERT_EQUAL(std::string("amount_less_than_minimum_amount"), reasons.front());
        CPPUNIT_ASSERT_EQUAL(std::string("vpa_resolution_failed"), reasons.back());
    }

    void everyReasonOfTheTsvHasAnExpectedCategory() {
        const auto expected = expectedByReason();
        std::string missing;
        for (const std::string& reason : reasonsOfTheTsv())
            if (!expected.count(reason)) missing += reason + " ";
        CPPUNIT_ASSERT_EQUAL(std::string(""), missing);
        // ... and the table names no reason the TSV does not list.
        const std::vector<std::string> listed = reasonsOfTheTsv();
        const std::set<std::string> tsv(listed.begin(), listed.end());
        for (const auto& [reason, category] : expected) CPPUNIT_ASSERT_MESSAGE(reason, tsv.count(reason) == 1);
    }

    void everyReasonMapsToItsExpectedCategory() {
        for (const auto& [reason, expected] : expectedByReason()) {
            CPPUNIT_ASSERT_EQUAL_MESSAGE("code " + reason, expected, describe(classifyDecline(reason)));
            CPPUNIT_ASSERT_EQUAL_MESSAGE("decline_code " + reason, expected,
                                         describe(classifyDecline("BAD_REQUEST_ERROR", reason)));
        }
    }

    void theDeclineCodeCountsBeforeTheCode() {
        CPPUNIT_ASSERT_EQUAL(std::string("insufficient_funds/soft/retryable"),
                             describe(classifyDecline("GATEWAY_ERROR", "insufficient_funds")));
        CPPUNIT_ASSERT_EQUAL(std::string("lost_or_stolen/hard/final"),
                             describe(classifyDecline("card_declined", "debit_instrument_blocked")));
        // A reason the table does not know stays unknown, even with a known code beside it.
        CPPUNIT_ASSERT_EQUAL(std::string("unknown/soft/retryable"),
                             describe(classifyDecline("card_expired", "some_new_bank_reason")));
        // An empty decline_code does not hide the code.
        CPPUNIT_ASSERT_EQUAL(std::string("card_expired/customer/final"), describe(classifyDecline("card_expired", " ")));
    }

    void bareErrorCodesAndUnmappedReasons() {
        CPPUNIT_ASSERT_EQUAL(std::string("issuer_unavailable/soft/retryable"), describe(classifyDecline("SERVER_ERROR")));
        CPPUNIT_ASSERT_EQUAL(std::string("unknown/soft/retryable"), describe(classifyDecline("GATEWAY_ERROR")));
        CPPUNIT_ASSERT_EQUAL(std::string("unknown/soft/retryable"), describe(classifyDecline("BAD_REQUEST_ERROR")));
        CPPUNIT_ASSERT_EQUAL(std::string("unknown/soft/retryable"), describe(classifyDecline("")));
        // Reasons are Razorpay's exact lower-case words.
        CPPUNIT_ASSERT_EQUAL(std::string("unknown/soft/retryable"), describe(classifyDecline("INSUFFICIENT_FUNDS")));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(RazorpayDeclinesTest);
