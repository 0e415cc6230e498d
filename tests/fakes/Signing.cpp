#include "Signing.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

namespace tinko::fakes {

namespace {

std::string hmac(const EVP_MD* digestType, const std::string& key, const std::string& message) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    HMAC(digestType, key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(message.data()),
         message.size(), digest, &length);
    return std::string(reinterpret_cast<const char*>(digest), length);
}

}  // namespace

std::string hmacSha256Hex(const std::string& key, const std::string& message) {
    constexpr char kHex[] = "0123456789abcdef";
    std::string hex;
    for (unsigned char byte : hmac(EVP_sha256(), key, message)) {
        hex += kHex[byte >> 4];
        hex += kHex[byte & 0x0F];
    }
    return hex;
}

std::string hmacSha1Base64(const std::string& key, const std::string& message) {
    const std::string digest = hmac(EVP_sha1(), key, message);
    std::string encoded(4 * ((digest.size() + 2) / 3) + 1, '\0');
    encoded.resize(static_cast<std::size_t>(EVP_EncodeBlock(reinterpret_cast<unsigned char*>(encoded.data()),
                                                            reinterpret_cast<const unsigned char*>(digest.data()),
                                                            static_cast<int>(digest.size()))));
    return encoded;
}

}  // namespace tinko::fakes
