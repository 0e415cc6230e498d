#include "api/WebhookEndpointInput.h"

#include "events/EventTypes.h"
#include "http/Json.h"

#include <Poco/JSON/Array.h>

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <algorithm>
#include <cctype>
#include <stdexcept>

namespace tinko::api {

using namespace tinko::http;

namespace {
const char* kAllowSetting = "TINKO_EGRESS_ALLOW";

std::string lower(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

bool allDigits(const std::string& s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Splits the authority ("host", "host:port", "[v6]", "[v6]:port") into host and port text.
bool splitAuthority(const std::string& authority, std::string& host, std::string& port) {
    if (!authority.empty() && authority.front() == '[') {
        const auto close = authority.find(']');
        if (close == std::string::npos) return false;
        host = authority.substr(0, close + 1);   // kept in brackets: IpAddress::parse reads them
        const std::string rest = authority.substr(close + 1);
        if (rest.empty()) return true;
        if (rest.front() != ':') return false;
        port = rest.substr(1);
        return !port.empty();
    }
    const auto colon = authority.find(':');
    if (colon == std::string::npos) {
        host = authority;
        return true;
    }
    if (authority.find(':', colon + 1) != std::string::npos) return false;   // IPv6 needs brackets in a URL
    host = authority.substr(0, colon);
    port = authority.substr(colon + 1);
    return !port.empty();
}

// A DNS name: letters, digits, '-', '_', '.', labels of at most 63, at most 253 in all, and a last
// label that is not a number (a resolver reads "127.1" or "2130706433" as an address).
std::string hostNameProblem(const std::string& host) {
    if (host.size() > 253) return "its host is longer than 253 characters";
    if (host.front() == '.' || host.front() == '-' ||
        !std::all_of(host.begin(), host.end(),
                     [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '_'; }))
        return "its host '" + host + "' is not a host name or an IP address";
    std::size_t start = 0;
    std::string last;
    while (start <= host.size()) {
        const auto dot = host.find('.', start);
        const std::string label = host.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
        if (label.empty() && dot != std::string::npos) return "its host '" + host + "' has an empty label";
        if (label.size() > 63) return "its host has a label longer than 63 characters";
        if (!label.empty()) last = label;
        if (dot == std::string::npos) break;
        start = dot + 1;
    }
    if (allDigits(last) || last.rfind("0x", 0) == 0)
        return "its host '" + host + "' is neither a host name nor an IP address in standard form";
    return "";
}

bool isLocalhostName(std::string host) {
    if (!host.empty() && host.back() == '.') host.pop_back();
    const std::string suffix = ".localhost";
    return host == "localhost" ||
           (host.size() > suffix.size() && host.compare(host.size() - suffix.size(), suffix.size(), suffix) == 0);
}

std::vector<std::optional<std::string>> arrayElements(const Poco::JSON::Array& array) {
    std::vector<std::optional<std::string>> out;
    for (const auto& v : array) out.push_back(v.isString() ? std::optional<std::string>(v.extract<std::string>()) : std::nullopt);
    return out;
}

std::optional<std::string> optionalText(const Poco::JSON::Object& o, const std::string& key) {
    if (!o.has(key) || o.isNull(key)) return std::nullopt;
    return o.getValue<std::string>(key);
}

void checkUrl(const std::string& url, const plugins::EgressPolicy& policy, std::vector<FieldError>& errors) {
    if (auto why = webhookUrlProblem(url, policy); !why.empty()) errors.push_back({"url", why});
}

// The events of a checked body; their problems are added to `errors` (then none are returned).
std::vector<std::string> checkEvents(const Poco::JSON::Object& o, std::vector<FieldError>& errors) {
    const auto given = arrayElements(*o.getArray("events"));
    auto problems = eventsProblems(given);
    errors.insert(errors.end(), problems.begin(), problems.end());
    std::vector<std::string> events;
    if (problems.empty())
        for (const auto& e : given) events.push_back(*e);
    return events;
}
}  // namespace

std::string webhookUrlProblem(const std::string& url, const plugins::EgressPolicy& policy) {
    if (url.empty()) return "is empty; give the https URL Tinko should send events to";
    if (url.size() > kMaxWebhookUrlLength)
        return "must be at most " + std::to_string(kMaxWebhookUrlLength) + " characters";
    for (unsigned char c : url)
        if (c <= 0x20 || c >= 0x7f || c == '\\')
            return "holds a control character, space, backslash or non-ASCII byte; percent-encode it";
    const auto schemeEnd = url.find("://");
    const std::string scheme = schemeEnd == std::string::npos ? "" : lower(url.substr(0, schemeEnd));
    if (scheme != "https" && scheme != "http") return "must be an absolute https URL, e.g. https://example.com/tinko-events";
    const std::string rest = url.substr(schemeEnd + 3);
    if (rest.find('#') != std::string::npos) return "must not carry a fragment ('#...')";
    const std::string authority = rest.substr(0, rest.find_first_of("/?"));
    if (authority.find('@') != std::string::npos) return "must not carry user information ('user:password@')";
    std::string host, portText;
    if (!splitAuthority(authority, host, portText)) return "has a malformed host or port";
    if (host.empty()) return "has no host";
    std::uint16_t port = scheme == "https" ? 443 : 80;
    if (!portText.empty()) {
        if (portText.size() > 5 || !allDigits(portText) || std::stol(portText) < 1 || std::stol(portText) > 65535)
            return "has a bad port '" + portText + "'";
        port = static_cast<std::uint16_t>(std::stol(portText));
    }
    host = lower(host);
    const auto address = plugins::IpAddress::parse(host);
    if (!address) {
        if (host.front() == '[') return "has a malformed IPv6 address";
        if (auto why = hostNameProblem(host); !why.empty()) return why;
    }
    const std::string bareHost = address ? address->toString() : host;
    if (policy.opsAllow(bareHost, port, address)) return "";
    if (scheme != "https")
        return std::string("must be https (plain http only to hosts ops allow in ") + kAllowSetting + ")";
    if (address)
        if (auto kind = plugins::nonPublicKind(*address))
            return "points at " + address->toString() + ", a " + *kind + " address; only hosts ops allow in " +
                   kAllowSetting + " may be private";
    if (isLocalhostName(host))
        return "points at " + host + ", a loopback name; only hosts ops allow in " + std::string(kAllowSetting) +
               " may be private";
    return "";
}

std::vector<FieldError> eventsProblems(const std::vector<std::optional<std::string>>& events) {
    std::vector<FieldError> out;
    if (events.empty()) return {{"events", "must name at least one event type, or be [\"*\"] for all of them"}};
    std::vector<std::string> seen;
    for (std::size_t i = 0; i < events.size(); ++i) {
        const std::string field = "events[" + std::to_string(i) + "]";
        if (!events[i]) {
            out.push_back({field, "must be a string: an event type or \"*\""});
            continue;
        }
        const std::string& type = *events[i];
        if (type == "*") {
            if (events.size() > 1)
                out.push_back({field, "\"*\" subscribes to every type and stands alone: send [\"*\"] or a list of types"});
            continue;
        }
        if (!events::isMerchantEventType(type)) {
            std::string known;
            for (const auto& t : events::merchantEventTypes()) known += (known.empty() ? "" : ", ") + t;
            const std::string shown = type.size() > 64 ? type.substr(0, 64) + "..." : type;
            out.push_back({field, "unknown event type '" + shown + "'; the types are: " + known});
            continue;
        }
        if (std::find(seen.begin(), seen.end(), type) != seen.end()) out.push_back({field, "repeats '" + type + "'"});
        seen.push_back(type);
    }
    return out;
}

std::variant<NewWebhookEndpoint, Problem> parseNewWebhookEndpoint(const std::string& body,
                                                                  const plugins::EgressPolicy& policy) {
    static const std::vector<FieldRule> fields{
        {"url", JsonType::String, true, kMaxWebhookUrlLength, {}},
        {"events", JsonType::Array, true, 0, {}},
        {"description", JsonType::String, false, kMaxWebhookDescriptionLength, {}},
    };
    auto parsed = parseJsonBody(body, fields);
    if (!parsed) return *parsed.problem;
    const Poco::JSON::Object& o = *parsed.object;
    std::vector<FieldError> errors;
    NewWebhookEndpoint out;
    out.url = o.getValue<std::string>("url");
    checkUrl(out.url, policy, errors);
    out.events = checkEvents(o, errors);
    out.description = optionalText(o, "description");
    if (!errors.empty()) return problems::validation(errors);
    return out;
}

std::variant<WebhookEndpointChange, Problem> parseWebhookEndpointChange(const std::string& body,
                                                                        const plugins::EgressPolicy& policy) {
    static const std::vector<FieldRule> fields{
        {"url", JsonType::String, false, kMaxWebhookUrlLength, {}},
        {"events", JsonType::Array, false, 0, {}},
        {"description", JsonType::String, false, kMaxWebhookDescriptionLength, {}},
        {"disabled", JsonType::Boolean, false, 0, {}},
    };
    auto parsed = parseJsonBody(body, fields);
    if (!parsed) return *parsed.problem;
    const Poco::JSON::Object& o = *parsed.object;
    std::vector<FieldError> errors;
    WebhookEndpointChange out;
    if (o.has("url") && !o.isNull("url")) {
        out.url = o.getValue<std::string>("url");
        checkUrl(*out.url, policy, errors);
    }
    if (o.has("events") && !o.isNull("events")) out.events = checkEvents(o, errors);
    if (o.has("description")) {
        out.descriptionGiven = true;
        out.description = optionalText(o, "description");
    }
    if (o.has("disabled") && !o.isNull("disabled")) out.disabled = o.getValue<bool>("disabled");
    if (!errors.empty()) return problems::validation(errors);
    return out;
}

std::string newWebhookSecret() {
    unsigned char bytes[32];
    if (RAND_bytes(bytes, sizeof bytes) != 1) throw std::runtime_error("the random generator failed");
    unsigned char encoded[4 * ((sizeof bytes + 2) / 3) + 1];
    const int length = EVP_EncodeBlock(encoded, bytes, sizeof bytes);
    return "whsec_" + std::string(reinterpret_cast<const char*>(encoded), static_cast<std::size_t>(length));
}

std::string webhookSecretAssociatedData(long long orgId) { return "webhook-endpoint-secret:" + std::to_string(orgId); }

}  // namespace tinko::api
