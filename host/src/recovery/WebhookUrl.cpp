#include "recovery/WebhookUrl.h"

namespace tinko::recovery {

std::string percentEncodePathSegment(std::string_view segment) {
    static const char* const kHex = "0123456789ABCDEF";
    std::string out;
    out.reserve(segment.size());
    for (const char c : segment) {
        const auto byte = static_cast<unsigned char>(c);
        const bool plain = (byte >= 'A' && byte <= 'Z') || (byte >= 'a' && byte <= 'z') || (byte >= '0' && byte <= '9') ||
                           byte == '-' || byte == '_' || byte == '~';
        if (plain) {
            out += c;
        } else {
            out += '%';
            out += kHex[byte >> 4];
            out += kHex[byte & 0x0F];
        }
    }
    return out;
}

std::string webhookUrl(std::string_view publicUrl, std::string_view pluginName, std::string_view orgSlug) {
    while (!publicUrl.empty() && publicUrl.back() == '/') publicUrl.remove_suffix(1);
    return std::string(publicUrl) + "/v1/webhooks/" + percentEncodePathSegment(pluginName) + "/" +
           percentEncodePathSegment(orgSlug);
}

}  // namespace tinko::recovery
