#include "plugins/ElfCheck.h"

#include <elf.h>

namespace tinko::plugins {

ElfIdentity hostElfIdentity() {
    ElfIdentity id;
    id.elfClass = sizeof(void*) == 8 ? ELFCLASS64 : ELFCLASS32;
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    id.byteOrder = ELFDATA2LSB;
#else
    id.byteOrder = ELFDATA2MSB;
#endif
#if defined(__x86_64__)
    id.machine = EM_X86_64;
#elif defined(__aarch64__)
    id.machine = EM_AARCH64;
#elif defined(__i386__)
    id.machine = EM_386;
#elif defined(__arm__)
    id.machine = EM_ARM;
#elif defined(__riscv)
    id.machine = EM_RISCV;
#elif defined(__powerpc64__)
    id.machine = EM_PPC64;
#elif defined(__s390x__)
    id.machine = EM_S390;
#else
#error "add this architecture's ELF machine number"
#endif
    return id;
}

std::optional<std::string> whyNotLoadableSharedObject(const std::string& header, const ElfIdentity& host) {
    const std::string notLoadable = "not a loadable shared library: ";
    if (header.size() < EI_NIDENT || header.compare(0, SELFMAG, ELFMAG, SELFMAG) != 0)
        return notLoadable + "the file is not an ELF file";
    const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(header[i]); };
    if (byte(EI_CLASS) != host.elfClass)
        return notLoadable + "the file is built for " + (byte(EI_CLASS) == ELFCLASS32 ? "32" : "another word size") +
               (byte(EI_CLASS) == ELFCLASS32 ? "-bit" : "") + " machines, not this host's";
    if (byte(EI_DATA) != host.byteOrder) return notLoadable + "the file has another byte order than this host";
    const std::size_t headerSize = host.elfClass == ELFCLASS64 ? sizeof(Elf64_Ehdr) : sizeof(Elf32_Ehdr);
    if (header.size() < headerSize) return notLoadable + "the ELF header is truncated";
    // e_type and e_machine follow e_ident in both classes, in the file's byte order.
    const auto half = [&](std::size_t at) -> std::uint16_t {
        return host.byteOrder == ELFDATA2LSB ? static_cast<std::uint16_t>(byte(at) | (byte(at + 1) << 8))
                                             : static_cast<std::uint16_t>((byte(at) << 8) | byte(at + 1));
    };
    const std::uint16_t type = half(EI_NIDENT), machine = half(EI_NIDENT + 2);
    if (type != ET_DYN)
        return notLoadable + (type == ET_EXEC ? "the file is an executable" : type == ET_REL ? "the file is an object file"
                                                                                             : "the file is not a shared object");
    if (machine != host.machine)
        return notLoadable + "the file is built for machine " + std::to_string(machine) + ", this host is " +
               std::to_string(host.machine);
    return std::nullopt;
}

}  // namespace tinko::plugins
