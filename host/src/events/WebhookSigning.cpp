#include "events/WebhookSigning.h"

#include <Poco/Base64Decoder.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <sstream>

namespace tinko::events {

namespace {
const std::string kPrefix = "whsec_";

std::string base64(const unsigned char* bytes, std::size_t length) {
    std::string out(4 * ((length + 2) / 3), '\0');
    const int written = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(&out[0]), bytes, static_cast<int>(length));
    out.resize(static_cast<std::size_t>(written));
    return out;
}
}  // namespace

std::optional<std::string> webhookSecretKey(const std::string& secret) {
    const std::string text = secret.compare(0, kPrefix.size(), kPrefix) == 0 ? secret.substr(kPrefix.size()) : secret;
    for (char c : text)
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '/' || c == '=')) return std::nullopt;
    try {
        std::istringstream in(text);
        Poco::Base64Decoder decoder(in);
        std::string key((std::istreambuf_iterator<char>(decoder)), std::istreambuf_iterator<char>());
        if (key.empty()) return std::nullopt;
        return key;
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

std::string webhookSignature(const std::string& key, const std::string& msgId, long long unixSeconds, const std::string& body) {
    const std::string signed_ = msgId + "." + std::to_string(unixSeconds) + "." + body;
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int macLength = 0;
    HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(signed_.data()),
         signed_.size(), mac, &macLength);
    return "v1," + base64(mac, macLength);
}

WebhookHeaders signWebhook(const std::vector<std::string>& keys, const std::string& msgId, long long unixSeconds,
                           const std::string& body) {
    WebhookHeaders headers{msgId, std::to_string(unixSeconds), ""};
    for (const auto& key : keys) {
        if (!headers.signature.empty()) headers.signature += ' ';
        headers.signature += webhookSignature(key, msgId, unixSeconds, body);
    }
    return headers;
}

}  // namespace tinko::events
