#include "plugins/TenantErrors.h"

#include <algorithm>
#include <cctype>

namespace tinko::plugins {

std::string safeProviderCode(const std::string& code) {
    if (code.size() > 64) return "";
    const bool codeLike = std::all_of(code.begin(), code.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == ':' || c == '-';
    });
    return codeLike ? code : "";
}

std::string tenantErrorMessage(const PluginError& error) {
    if (error.category == kErrEgressRefused) return error.message;
    switch (error.category) {
        case TINKO_ERR_INVALID_INPUT: return "the plugin refused the request as invalid";
        case TINKO_ERR_INVALID_CONFIG: return "the configuration is missing or wrong; check it with PUT /v1/config";
        case TINKO_ERR_AUTH: return "the provider refused the credentials";
        case TINKO_ERR_PROVIDER: return "the provider answered with an error";
        case TINKO_ERR_NETWORK: return "the provider could not be reached";
        case TINKO_ERR_UNSUPPORTED: return "the plugin does not offer this operation";
        case TINKO_ERR_OPTED_OUT: return "the recipient unsubscribed";
        case TINKO_ERR_INTERNAL: break;
    }
    return "the plugin failed";
}

std::string tenantErrorLine(const PluginError& error) {
    const std::string code = safeProviderCode(error.providerCode);
    return std::string(errorCategoryName(error.category)) + (code.empty() ? "" : " (" + code + ")") + ": " +
           tenantErrorMessage(error);
}

Poco::JSON::Object tenantErrorJson(const PluginError& error) {
    Poco::JSON::Object o;
    o.set("category", errorCategoryName(error.category));
    o.set("retryable", error.retryable);
    o.set("provider_code", safeProviderCode(error.providerCode));
    o.set("message", tenantErrorMessage(error));
    return o;
}

}  // namespace tinko::plugins
