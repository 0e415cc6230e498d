// tinko-plugin-sign: Ed25519 keys and detached signatures for plugin files, as a host with
// TINKO_PLUGIN_TRUSTED_KEYS set checks them (the host's own code: security/PluginSignature).
//
//   tinko-plugin-sign keygen NAME         writes NAME.key (private, 0600) and NAME.pub (public PEM),
//                                         prints the public key as base64 for TINKO_PLUGIN_TRUSTED_KEYS
//   tinko-plugin-sign sign NAME.key FILE  writes FILE.sig and prints the signature as base64, the value
//                                         of the X-Tinko-Plugin-Signature header of an upload
//   tinko-plugin-sign verify KEYS FILE    checks FILE.sig against KEYS (the setting's form: base64 keys
//                                         or PEM files, comma-separated), as the host would
//
// The files are ordinary OpenSSL ones: `openssl genpkey -algorithm ed25519` keys work too.
// Exit status: 0 done, 1 refused or failed (the reason on stderr), 2 on a usage error.
#include "security/PluginSignature.h"

#include <fcntl.h>
#include <unistd.h>

#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

namespace {

using namespace tinko::security;

int usage() {
    std::cerr << "usage: tinko-plugin-sign keygen NAME\n"
                 "       tinko-plugin-sign sign NAME.key FILE\n"
                 "       tinko-plugin-sign verify KEYS FILE\n";
    return 2;
}

std::string readAll(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read '" + path + "'");
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

// Creates `path` with `mode`, refusing to replace a file that exists (a key is never overwritten).
void writeNew(const std::string& path, const std::string& text, mode_t mode) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
    if (fd < 0) throw std::runtime_error("cannot create '" + path + "' (it may exist already; a key is never overwritten)");
    const bool written = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
    ::close(fd);
    if (!written) throw std::runtime_error("cannot write '" + path + "'");
}

int keygen(const std::string& name) {
    const auto pair = generateEd25519KeyPair();
    writeNew(name + ".key", pair.privatePem, 0600);
    writeNew(name + ".pub", pair.publicPem, 0644);
    std::cerr << "wrote " << name << ".key (keep it secret) and " << name << ".pub\n"
              << "trust it on the host with TINKO_PLUGIN_TRUSTED_KEYS=" << base64Encode(pair.publicRaw) << "\n";
    std::cout << base64Encode(pair.publicRaw) << "\n";
    return 0;
}

int sign(const std::string& keyFile, const std::string& file) {
    const std::string signature = base64Encode(ed25519Sign(readAll(keyFile), readAll(file)));
    std::ofstream out(file + ".sig", std::ios::binary | std::ios::trunc);
    out << signature << "\n";
    if (!out) throw std::runtime_error("cannot write '" + file + ".sig'");
    std::cerr << "wrote " << file << ".sig\n";
    std::cout << signature << "\n";
    return 0;
}

int verify(const std::string& keysText, const std::string& file) {
    std::vector<std::string> problems;
    const auto keys = parseTrustedKeys(keysText, problems);
    for (const auto& p : problems) std::cerr << p << "\n";
    if (!problems.empty()) return 1;
    std::optional<std::string> signature;
    if (std::ifstream in(file + ".sig", std::ios::binary); in) signature = readAll(file + ".sig");
    if (auto refused = checkPluginSignature(readAll(file), signature, keys)) {
        std::cerr << file << ": " << refusalDetail(*refused) << "\n";
        return 1;
    }
    std::cout << file << ": signature verifies with a trusted key\n";
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    const std::string command = argc > 1 ? argv[1] : "";
    try {
        if (command == "keygen" && argc == 3) return keygen(argv[2]);
        if (command == "sign" && argc == 4) return sign(argv[2], argv[3]);
        if (command == "verify" && argc == 4) return verify(argv[2], argv[3]);
    } catch (const std::exception& e) {
        std::cerr << "tinko-plugin-sign: " << e.what() << "\n";
        return 1;
    }
    return usage();
}
