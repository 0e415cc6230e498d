#pragma once
// Whether a file's first bytes are the ELF header of a shared object this host could load: the
// ELF magic, a shared object (ET_DYN), and this host's class, byte order and machine. Checked
// before a plugin file is copied anywhere, so POST /v1/plugins cannot be used to copy other files
// (/proc/self/environ, /etc/shadow) into the data directory.
#include <cstdint>
#include <optional>
#include <string>

namespace tinko::plugins {

struct ElfIdentity {
    unsigned char elfClass = 0;     // EI_CLASS: ELFCLASS64 or ELFCLASS32
    unsigned char byteOrder = 0;    // EI_DATA: ELFDATA2LSB or ELFDATA2MSB
    std::uint16_t machine = 0;      // e_machine, e.g. EM_X86_64
};

// This process's identity (what it was compiled for).
ElfIdentity hostElfIdentity();

// Bytes needed to decide (the size of an ELF64 header).
constexpr std::size_t kElfHeaderBytes = 64;

// Why `header` (the file's first bytes, up to kElfHeaderBytes) is not a loadable shared object
// for `host`, or nullopt when it is.
std::optional<std::string> whyNotLoadableSharedObject(const std::string& header, const ElfIdentity& host);

}  // namespace tinko::plugins
