#include "security/PluginSignature.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <fstream>
#include <memory>
#include <sstream>
#include <stdexcept>

namespace tinko::security {

namespace {
constexpr std::size_t kKeyBytes = 32;
constexpr std::size_t kSignatureBytes = 64;

struct PkeyFree {
    void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
struct MdCtxFree {
    void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};
struct BioFree {
    void operator()(BIO* b) const { BIO_free(b); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;
using MdCtx = std::unique_ptr<EVP_MD_CTX, MdCtxFree>;
using Bio = std::unique_ptr<BIO, BioFree>;

std::string trim(const std::string& s) {
    const auto first = s.find_first_not_of(" \t\r\n");
    if (first == std::string::npos) return "";
    return s.substr(first, s.find_last_not_of(" \t\r\n") - first + 1);
}

std::string rawPublicKey(EVP_PKEY* key) {
    std::string raw(kKeyBytes, '\0');
    std::size_t length = raw.size();
    if (EVP_PKEY_get_raw_public_key(key, reinterpret_cast<unsigned char*>(raw.data()), &length) != 1 || length != kKeyBytes)
        throw std::runtime_error("cannot read the raw Ed25519 public key");
    return raw;
}

std::string bioText(BIO* bio) {
    char* data = nullptr;
    const long length = BIO_get_mem_data(bio, &data);
    return std::string(data, static_cast<std::size_t>(length));
}

// Every Ed25519 public key in a PEM text; a problem when there is none or another kind of key.
std::vector<std::string> publicKeysOfPem(const std::string& pem, std::string& problem) {
    std::vector<std::string> keys;
    Bio bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
    for (;;) {
        Pkey key(PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr));
        if (!key) break;
        if (EVP_PKEY_get_id(key.get()) != EVP_PKEY_ED25519) {
            problem = "holds a public key that is not Ed25519";
            return {};
        }
        keys.push_back(rawPublicKey(key.get()));
    }
    ERR_clear_error();   // the loop ends on "no start line"
    if (keys.empty()) problem = "holds no PEM public key (-----BEGIN PUBLIC KEY-----)";
    return keys;
}
}  // namespace

std::string base64Encode(const std::string& bytes) {
    static const char* alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    std::size_t i = 0;
    for (; i + 2 < bytes.size(); i += 3) {
        const unsigned v = (static_cast<unsigned char>(bytes[i]) << 16) | (static_cast<unsigned char>(bytes[i + 1]) << 8) |
                           static_cast<unsigned char>(bytes[i + 2]);
        out += {alphabet[v >> 18], alphabet[(v >> 12) & 63], alphabet[(v >> 6) & 63], alphabet[v & 63]};
    }
    if (i + 1 == bytes.size()) {
        const unsigned v = static_cast<unsigned char>(bytes[i]) << 16;
        out += {alphabet[v >> 18], alphabet[(v >> 12) & 63], '=', '='};
    } else if (i + 2 == bytes.size()) {
        const unsigned v = (static_cast<unsigned char>(bytes[i]) << 16) | (static_cast<unsigned char>(bytes[i + 1]) << 8);
        out += {alphabet[v >> 18], alphabet[(v >> 12) & 63], alphabet[(v >> 6) & 63], '='};
    }
    return out;
}

std::optional<std::string> base64Decode(const std::string& text) {
    std::string body = text;
    while (!body.empty() && body.back() == '=') body.pop_back();
    if (text.size() - body.size() > 2 || body.size() % 4 == 1) return std::nullopt;
    std::string out;
    unsigned buffer = 0;
    int bits = 0;
    for (char c : body) {
        int v;
        if (c >= 'A' && c <= 'Z') v = c - 'A';
        else if (c >= 'a' && c <= 'z') v = c - 'a' + 26;
        else if (c >= '0' && c <= '9') v = c - '0' + 52;
        else if (c == '+' || c == '-') v = 62;
        else if (c == '/' || c == '_') v = 63;
        else return std::nullopt;
        buffer = (buffer << 6) | static_cast<unsigned>(v);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out += static_cast<char>((buffer >> bits) & 0xFF);
        }
    }
    return out;
}

std::vector<TrustedKey> parseTrustedKeys(const std::string& text, std::vector<std::string>& problems) {
    std::vector<TrustedKey> keys;
    std::stringstream entries(text);
    std::string entry;
    int position = 0;
    while (std::getline(entries, entry, ',')) {
        entry = trim(entry);
        ++position;
        if (entry.empty()) continue;
        const std::string where = "TINKO_PLUGIN_TRUSTED_KEYS entry " + std::to_string(position);
        if (auto raw = base64Decode(entry); raw && raw->size() == kKeyBytes) {
            keys.push_back({*raw, "base64 key " + std::to_string(position)});
            continue;
        }
        if (entry.find('/') == std::string::npos) {
            problems.push_back(where + " must be the base64 of a 32-byte Ed25519 public key (as `tinko-plugin-sign keygen` "
                                       "prints) or the path of a PEM public key file, got '" + entry + "'");
            continue;
        }
        std::ifstream in(entry, std::ios::binary);
        if (!in) {
            problems.push_back(where + ": cannot read the PEM file '" + entry + "'");
            continue;
        }
        std::ostringstream pem;
        pem << in.rdbuf();
        std::string problem;
        auto found = publicKeysOfPem(pem.str(), problem);
        if (!problem.empty()) problems.push_back(where + ": the file '" + entry + "' " + problem);
        for (auto& raw : found) keys.push_back({std::move(raw), entry});
    }
    if (keys.empty() && problems.empty())
        problems.push_back("TINKO_PLUGIN_TRUSTED_KEYS names no key; unset it to load plugins without signatures");
    return keys;
}

std::string refusalCode(SignatureRefusal refusal) {
    switch (refusal) {
    case SignatureRefusal::Missing: return "no-signature";
    case SignatureRefusal::Invalid: return "signature-invalid";
    case SignatureRefusal::NoTrustedKeyMatches: return "no-trusted-key-matches";
    }
    return "unknown";
}

std::string refusalDetail(SignatureRefusal refusal) {
    switch (refusal) {
    case SignatureRefusal::Missing:
        return "no signature: TINKO_PLUGIN_TRUSTED_KEYS is set, so a plugin file needs an Ed25519 signature "
               "(the X-Tinko-Plugin-Signature header of an upload, or <file>.sig beside a file; `tinko-plugin-sign sign` makes both)";
    case SignatureRefusal::Invalid:
        return "signature invalid: it is not the base64 of a 64-byte Ed25519 signature";
    case SignatureRefusal::NoTrustedKeyMatches:
        return "no trusted key matches: the signature verifies with no key in TINKO_PLUGIN_TRUSTED_KEYS "
               "(another key signed it, or the file changed after it was signed)";
    }
    return "refused";
}

std::optional<std::string> decodeSignature(const std::string& text) {
    // Base64 of 64 bytes is 86 to 88 characters, so 64 bytes can only be a binary signature.
    if (text.size() == kSignatureBytes) return text;
    auto decoded = base64Decode(trim(text));
    if (!decoded || decoded->size() != kSignatureBytes) return std::nullopt;
    return decoded;
}

bool ed25519Verify(const std::string& publicKey, const std::string& signature, const std::string& message) {
    if (publicKey.size() != kKeyBytes || signature.size() != kSignatureBytes) return false;
    Pkey key(EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, reinterpret_cast<const unsigned char*>(publicKey.data()),
                                         publicKey.size()));
    MdCtx ctx(EVP_MD_CTX_new());
    bool valid = key && ctx && EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, key.get()) == 1 &&
                 EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()), signature.size(),
                                  reinterpret_cast<const unsigned char*>(message.data()), message.size()) == 1;
    ERR_clear_error();
    return valid;
}

std::optional<SignatureRefusal> checkPluginSignature(const std::string& bytes, const std::optional<std::string>& signatureText,
                                                     const std::vector<TrustedKey>& keys) {
    if (!signatureText || trim(*signatureText).empty()) return SignatureRefusal::Missing;
    auto signature = decodeSignature(*signatureText);
    if (!signature) return SignatureRefusal::Invalid;
    for (const auto& key : keys)
        if (ed25519Verify(key.raw, *signature, bytes)) return std::nullopt;
    return SignatureRefusal::NoTrustedKeyMatches;
}

Ed25519KeyPair generateEd25519KeyPair() {
    EVP_PKEY* made = nullptr;
    std::unique_ptr<EVP_PKEY_CTX, decltype(&EVP_PKEY_CTX_free)> ctx(EVP_PKEY_CTX_new_id(EVP_PKEY_ED25519, nullptr),
                                                                     EVP_PKEY_CTX_free);
    if (!ctx || EVP_PKEY_keygen_init(ctx.get()) != 1 || EVP_PKEY_keygen(ctx.get(), &made) != 1)
        throw std::runtime_error("OpenSSL could not make an Ed25519 key");
    Pkey key(made);
    Bio priv(BIO_new(BIO_s_mem())), pub(BIO_new(BIO_s_mem()));
    if (PEM_write_bio_PrivateKey(priv.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1 ||
        PEM_write_bio_PUBKEY(pub.get(), key.get()) != 1)
        throw std::runtime_error("OpenSSL could not write the Ed25519 key as PEM");
    return {bioText(priv.get()), bioText(pub.get()), rawPublicKey(key.get())};
}

std::string ed25519Sign(const std::string& privatePem, const std::string& message) {
    Bio bio(BIO_new_mem_buf(privatePem.data(), static_cast<int>(privatePem.size())));
    Pkey key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
    ERR_clear_error();
    if (!key || EVP_PKEY_get_id(key.get()) != EVP_PKEY_ED25519)
        throw std::runtime_error("not an Ed25519 private key in PEM (-----BEGIN PRIVATE KEY-----)");
    MdCtx ctx(EVP_MD_CTX_new());
    std::string signature(kSignatureBytes, '\0');
    std::size_t length = signature.size();
    if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, key.get()) != 1 ||
        EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(signature.data()), &length,
                       reinterpret_cast<const unsigned char*>(message.data()), message.size()) != 1 ||
        length != kSignatureBytes)
        throw std::runtime_error("OpenSSL could not sign with the Ed25519 key");
    return signature;
}
}  // namespace tinko::security
