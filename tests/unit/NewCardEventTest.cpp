// Reading a PSP's payment_method_saved event (recovery/NewCardEvent): what is stored for the new
// card, and which events name too little to act on.
#include "recovery/NewCardEvent.h"

#include <Poco/JSON/Parser.h>
#include <cppunit/extensions/HelperMacros.h>

using namespace tinko::recovery;

namespace {
std::optional<SavedPaymentMethod> read(const std::string& json) {
    Poco::JSON::Parser parser;
    return savedPaymentMethodOf(*parser.parse(json).extract<Poco::JSON::Object::Ptr>());
}
}  // namespace

class NewCardEventTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(NewCardEventTest);
    CPPUNIT_TEST(everyFieldIsRead);
    CPPUNIT_TEST(aTransactionRefAloneNamesTheRecovery);
    CPPUNIT_TEST(networksAreLowerCaseAndUnknownOnesAreOther);
    CPPUNIT_TEST(tooLittleToActOnIsNothing);
    CPPUNIT_TEST_SUITE_END();

public:
    void everyFieldIsRead() {
        auto saved = read(R"({"type":"payment_method_saved","recovery_id":"42","transaction_ref":"order-1",)"
                          R"("payment_method":"pm_123","card_network":"visa","card_fingerprint":"fp_9"})");
        CPPUNIT_ASSERT(saved);
        CPPUNIT_ASSERT_EQUAL(42LL, *saved->recoveryId);
        CPPUNIT_ASSERT_EQUAL(std::string("order-1"), *saved->transactionRef);
        CPPUNIT_ASSERT_EQUAL(std::string("pm_123"), saved->card.paymentMethod);
        CPPUNIT_ASSERT_EQUAL(std::string("visa"), *saved->card.cardNetwork);
        CPPUNIT_ASSERT_EQUAL(std::string("fp_9"), *saved->card.fingerprint);
    }

    void aTransactionRefAloneNamesTheRecovery() {
        auto saved = read(R"({"transaction_ref":"order-1","payment_method":"pm_1"})");
        CPPUNIT_ASSERT(saved && !saved->recoveryId && !saved->card.cardNetwork && !saved->card.fingerprint);
        // A recovery id that is not one (not digits, or too long) is not used; the ref still is.
        auto odd = read(R"({"recovery_id":"12a","transaction_ref":"order-1","payment_method":"pm_1"})");
        CPPUNIT_ASSERT(odd && !odd->recoveryId);
        CPPUNIT_ASSERT(!read(R"({"recovery_id":"1234567890123456789012","transaction_ref":"r","payment_method":"pm_1"})")->recoveryId);
    }

    void networksAreLowerCaseAndUnknownOnesAreOther() {
        CPPUNIT_ASSERT_EQUAL(std::string("mastercard"), *read(R"({"recovery_id":"1","payment_method":"pm","card_network":"MasterCard"})")->card.cardNetwork);
        CPPUNIT_ASSERT_EQUAL(std::string("amex"), *read(R"({"recovery_id":"1","payment_method":"pm","card_network":"amex"})")->card.cardNetwork);
        CPPUNIT_ASSERT_EQUAL(std::string("other"), *read(R"({"recovery_id":"1","payment_method":"pm","card_network":"cartes_bancaires"})")->card.cardNetwork);
        // A fingerprint too long to be one is left out: the card is known by its payment method.
        CPPUNIT_ASSERT(!read(R"({"recovery_id":"1","payment_method":"pm","card_fingerprint":")" + std::string(300, 'f') + "\"}")->card.fingerprint);
    }

    void tooLittleToActOnIsNothing() {
        CPPUNIT_ASSERT(!read(R"({"recovery_id":"1"})"));                                           // no payment method
        CPPUNIT_ASSERT(!read(R"({"recovery_id":"1","payment_method":""})"));
        CPPUNIT_ASSERT(!read(R"({"recovery_id":"1","payment_method":42})"));
        CPPUNIT_ASSERT(!read(R"({"recovery_id":"1","payment_method":")" + std::string(256, 'p') + "\"}"));
        CPPUNIT_ASSERT(!read(R"({"payment_method":"pm_1"})"));                                     // names no recovery
        CPPUNIT_ASSERT(!read(R"({"recovery_id":"x","payment_method":"pm_1"})"));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(NewCardEventTest);
