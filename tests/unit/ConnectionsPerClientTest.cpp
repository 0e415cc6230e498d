// http/ConnectionsPerClient: one client address holds at most so many open connections; others
// are unaffected, and a released connection makes room again.
#include "http/ConnectionsPerClient.h"

#include <cppunit/extensions/HelperMacros.h>

#include <memory>
#include <vector>

using namespace tinko::http;

class ConnectionsPerClientTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(ConnectionsPerClientTest);
    CPPUNIT_TEST(admitsUpToTheLimitPerAddress);
    CPPUNIT_TEST(otherAddressesAreCountedApart);
    CPPUNIT_TEST(releaseMakesRoomAndForgetsEmptyAddresses);
    CPPUNIT_TEST(aSlotReleasesOnlyWhatItWasAdmitted);
    CPPUNIT_TEST_SUITE_END();

public:
    void admitsUpToTheLimitPerAddress() {
        ConnectionsPerClient counts(3);
        for (int i = 0; i < 3; ++i) CPPUNIT_ASSERT(counts.admit("127.0.0.2"));
        CPPUNIT_ASSERT(!counts.admit("127.0.0.2"));
        CPPUNIT_ASSERT_EQUAL(3, counts.openFrom("127.0.0.2"));
    }
    void otherAddressesAreCountedApart() {
        ConnectionsPerClient counts(1);
        CPPUNIT_ASSERT(counts.admit("127.0.0.2"));
        CPPUNIT_ASSERT(!counts.admit("127.0.0.2"));
        CPPUNIT_ASSERT(counts.admit("127.0.0.1"));
        CPPUNIT_ASSERT(counts.admit("::1"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(3), counts.addresses());
    }
    void releaseMakesRoomAndForgetsEmptyAddresses() {
        ConnectionsPerClient counts(1);
        CPPUNIT_ASSERT(counts.admit("10.0.0.1"));
        counts.release("10.0.0.1");
        CPPUNIT_ASSERT_EQUAL(0, counts.openFrom("10.0.0.1"));
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), counts.addresses());
        CPPUNIT_ASSERT(counts.admit("10.0.0.1"));
        counts.release("10.0.0.9");   // never admitted: nothing changes
        CPPUNIT_ASSERT_EQUAL(1, counts.openFrom("10.0.0.1"));
    }
    void aSlotReleasesOnlyWhatItWasAdmitted() {
        ConnectionsPerClient counts(2);
        std::vector<std::unique_ptr<ClientSlot>> slots;
        for (int i = 0; i < 5; ++i) slots.push_back(std::make_unique<ClientSlot>(counts, "10.0.0.1"));
        int admitted = 0;
        for (const auto& slot : slots) admitted += slot->admitted() ? 1 : 0;
        CPPUNIT_ASSERT_EQUAL(2, admitted);
        slots.erase(slots.begin() + 2, slots.end());   // three refused ones go: the count stays
        CPPUNIT_ASSERT_EQUAL(2, counts.openFrom("10.0.0.1"));
        slots.clear();
        CPPUNIT_ASSERT_EQUAL(0, counts.openFrom("10.0.0.1"));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ConnectionsPerClientTest);
