#pragma once
// Detached Ed25519 signatures over plugin files (TINKO_PLUGIN_TRUSTED_KEYS). A signature is the
// 64 bytes Ed25519 makes over the whole file, carried as base64 (the X-Tinko-Plugin-Signature
// header of an upload, or the text of <file>.sig beside a file). Ed25519 signatures name no key, so
// a signature is accepted when it verifies with any trusted key. OpenSSL 3 EVP does the maths
// (POCO 1.11's Crypto has no Ed25519); what is accepted is decided by pure functions, unit-tested.
#include <optional>
#include <string>
#include <vector>

namespace tinko::security {

// One trusted Ed25519 public key: its 32 raw bytes, and where it came from (for --check-config).
struct TrustedKey {
    std::string raw;
    std::string source;   // "base64 key 1", or the PEM file's path
};

// Parses TINKO_PLUGIN_TRUSTED_KEYS: comma-separated entries, each either the base64 of a raw
// 32-byte Ed25519 public key (what `tinko-plugin-sign keygen` prints), or the path of a PEM file
// holding one or more Ed25519 public keys ("BEGIN PUBLIC KEY", as `tinko-plugin-sign keygen` or
// `openssl pkey -pubout` write). Appends one line per entry it cannot use to `problems`.
std::vector<TrustedKey> parseTrustedKeys(const std::string& text, std::vector<std::string>& problems);

// Why a plugin file's signature was not accepted.
enum class SignatureRefusal {
    Missing,              // no signature was given
    Invalid,              // the signature is not base64 of 64 bytes
    NoTrustedKeyMatches,  // it verifies with no trusted key (another key signed it, or the file changed since)
};
// A stable short name for clients: "no-signature", "signature-invalid", "no-trusted-key-matches".
std::string refusalCode(SignatureRefusal refusal);
// What a person reads, naming the setting and how to sign.
std::string refusalDetail(SignatureRefusal refusal);

// The 64 signature bytes of `text`: base64 (standard or url alphabet, padding optional, surrounding
// whitespace ignored), or exactly 64 raw bytes (a binary .sig). nullopt when it is neither.
std::optional<std::string> decodeSignature(const std::string& text);

// Whether `signature` (64 bytes) is `publicKey`'s (32 bytes) Ed25519 signature of `message`.
bool ed25519Verify(const std::string& publicKey, const std::string& signature, const std::string& message);

// The decision: nullopt when `signatureText` verifies `bytes` with one of `keys`.
std::optional<SignatureRefusal> checkPluginSignature(const std::string& bytes, const std::optional<std::string>& signatureText,
                                                     const std::vector<TrustedKey>& keys);

// For tinko-plugin-sign (and tests): a new key pair as PEM (PKCS#8 private, SubjectPublicKeyInfo
// public) and the public key's raw bytes.
struct Ed25519KeyPair {
    std::string privatePem;
    std::string publicPem;
    std::string publicRaw;
};
Ed25519KeyPair generateEd25519KeyPair();
// The 64-byte signature of `message` with the PEM private key; throws std::runtime_error when the
// PEM is not an Ed25519 private key.
std::string ed25519Sign(const std::string& privatePem, const std::string& message);

std::string base64Encode(const std::string& bytes);
// Strict: the standard or url alphabet, padding optional; nullopt on anything else.
std::optional<std::string> base64Decode(const std::string& text);

}  // namespace tinko::security
