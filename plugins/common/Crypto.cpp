#include "common/Crypto.h"

#include "tinko/sdk.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

namespace tinko::plugins::common {

namespace {

std::string hex(const unsigned char* bytes, unsigned int length) {
    constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    out.reserve(2 * length);
    for (unsigned int i = 0; i < length; ++i) {
        out += kHex[bytes[i] >> 4];
        out += kHex[bytes[i] & 0x0F];
    }
    return out;
}

std::string hmac(const EVP_MD* digest, const char* name, std::string_view key, std::string_view message) {
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (!HMAC(digest, key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(message.data()),
              message.size(), out, &length))
        throw sdk::internalError(std::string(name) + " failed in libcrypto");
    return std::string(reinterpret_cast<const char*>(out), length);
}

}  // namespace

std::string hmacSha256Hex(std::string_view key, std::string_view message) {
    const std::string digest = hmac(EVP_sha256(), "HMAC-SHA256", key, message);
    return hex(reinterpret_cast<const unsigned char*>(digest.data()), static_cast<unsigned int>(digest.size()));
}

std::string hmacSha1Base64(std::string_view key, std::string_view message) {
    return base64(hmac(EVP_sha1(), "HMAC-SHA1", key, message));
}

std::string sha256Hex(std::string_view data) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (!EVP_Digest(data.data(), data.size(), digest, &length, EVP_sha256(), nullptr))
        throw sdk::internalError("SHA-256 failed in libcrypto");
    return hex(digest, length);
}

std::string base64(std::string_view data) {
    std::string out(4 * ((data.size() + 2) / 3) + 1, '\0');   // EVP_EncodeBlock writes a NUL too
    const int written =
        EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), reinterpret_cast<const unsigned char*>(data.data()),
                        static_cast<int>(data.size()));
    out.resize(written < 0 ? 0 : static_cast<std::size_t>(written));
    return out;
}

bool constantTimeEquals(std::string_view expected, std::string_view offered) {
    return expected.size() == offered.size() && CRYPTO_memcmp(expected.data(), offered.data(), expected.size()) == 0;
}

}  // namespace tinko::plugins::common
