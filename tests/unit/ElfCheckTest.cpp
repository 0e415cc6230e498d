// Only an ELF shared object built for this host passes the check made before a plugin is staged.
#include "plugins/ElfCheck.h"

#include <cppunit/extensions/HelperMacros.h>

#include <elf.h>

using namespace tinko::plugins;

namespace {
// An ELF64 little-endian header of the given type and machine.
std::string header(std::uint16_t type, std::uint16_t machine, unsigned char elfClass = ELFCLASS64) {
    std::string h(kElfHeaderBytes, '\0');
    h.replace(0, 4, ELFMAG, 4);
    h[EI_CLASS] = static_cast<char>(elfClass);
    h[EI_DATA] = ELFDATA2LSB;
    h[EI_VERSION] = EV_CURRENT;
    h[EI_NIDENT] = static_cast<char>(type & 0xff);
    h[EI_NIDENT + 1] = static_cast<char>(type >> 8);
    h[EI_NIDENT + 2] = static_cast<char>(machine & 0xff);
    h[EI_NIDENT + 3] = static_cast<char>(machine >> 8);
    return h;
}

const ElfIdentity kX86_64{ELFCLASS64, ELFDATA2LSB, EM_X86_64};

std::string why(const std::string& bytes) { return whyNotLoadableSharedObject(bytes, kX86_64).value_or("accepted"); }
}  // namespace

class ElfCheckTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(ElfCheckTest);
    CPPUNIT_TEST(aSharedObjectForThisMachineIsAccepted);
    CPPUNIT_TEST(everythingElseIsRefusedWithTheReason);
    CPPUNIT_TEST(theHostKnowsItsOwnIdentity);
    CPPUNIT_TEST_SUITE_END();

public:
    void aSharedObjectForThisMachineIsAccepted() {
        CPPUNIT_ASSERT_EQUAL(std::string("accepted"), why(header(ET_DYN, EM_X86_64)));
    }

    void everythingElseIsRefusedWithTheReason() {
        CPPUNIT_ASSERT(why("").find("not an ELF file") != std::string::npos);
        CPPUNIT_ASSERT(why("TINKO_OPS_TOKEN=tko_secret\0PATH=/bin").find("not an ELF file") != std::string::npos);
        CPPUNIT_ASSERT(why("root:$6$salt$hash:19000:0:99999:7:::\n").find("not an ELF file") != std::string::npos);
        CPPUNIT_ASSERT(why(header(ET_EXEC, EM_X86_64)).find("an executable") != std::string::npos);
        CPPUNIT_ASSERT(why(header(ET_REL, EM_X86_64)).find("an object file") != std::string::npos);
        CPPUNIT_ASSERT(why(header(ET_CORE, EM_X86_64)).find("not a shared object") != std::string::npos);
        CPPUNIT_ASSERT(why(header(ET_DYN, EM_AARCH64)).find("built for machine 183") != std::string::npos);
        CPPUNIT_ASSERT(why(header(ET_DYN, EM_X86_64, ELFCLASS32)).find("32-bit") != std::string::npos);
        CPPUNIT_ASSERT(why(header(ET_DYN, EM_X86_64).substr(0, 20)).find("truncated") != std::string::npos);
        std::string bigEndian = header(ET_DYN, EM_X86_64);
        bigEndian[EI_DATA] = ELFDATA2MSB;
        CPPUNIT_ASSERT(why(bigEndian).find("byte order") != std::string::npos);
        for (const auto& h : {header(ET_EXEC, EM_X86_64), std::string("text")})
            CPPUNIT_ASSERT(why(h).rfind("not a loadable shared library: ", 0) == 0);
    }

    void theHostKnowsItsOwnIdentity() {
        const ElfIdentity me = hostElfIdentity();
        CPPUNIT_ASSERT_EQUAL(static_cast<int>(sizeof(void*) == 8 ? ELFCLASS64 : ELFCLASS32), static_cast<int>(me.elfClass));
        CPPUNIT_ASSERT(me.machine != 0);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ElfCheckTest);
