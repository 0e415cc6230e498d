#include "FuzzRequests.h"

#include <Poco/JSON/Array.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/URI.h>

#include <map>
#include <stdexcept>

namespace tinko::test::fuzz {

namespace {

using Fields = std::vector<std::pair<std::string, std::string>>;   // name, JSON value text

// A valid body for each route that takes one; the generator mutates these.
Fields exampleBody(const RouteInfo& route, const Fixture& fixture, std::mt19937_64& rng) {
    const std::string key = route.method + " " + route.path;
    const std::string n = std::to_string(rng() % 1000000);
    if (key == "POST /v1/admin/orgs") return {{"name", "\"Fuzz " + n + "\""}, {"slug", "\"fz-" + n + "\""}};
    if (key == "POST /v1/admin/orgs/{slug}/api-keys") return {{"label", "\"fuzz\""}};
    if (key == "PATCH /v1/admin/orgs/{slug}" || key == "PATCH /v1/org") return {{"brand_color", "\"#1a2b3c\""}};
    if (key == "POST /v1/plugins" || key == "POST /v1/plugins/{name}/swap")
        return {{"path", "\"" + fixture.pluginPaths[rng() % fixture.pluginPaths.size()] + "\""}};
    if (key == "PUT /v1/config/psp")
        return {{"plugin", "\"stripe\""},
                {"config", R"({"secret_key":")" + fixture.stripeSecretKey + R"(","webhook_secret":"whsec_fuzz","api_base":")" + fixture.stripeApiBase + "\"}"}};
    if (key == "PUT /v1/config/channels/{channel}")
        return {{"plugin", "\"notify-smtp\""},
                {"config", R"({"host":"smtp.example.com","port":587,"tls":"starttls","from":"billing@example.com"})"}};
    if (route.path.rfind("/v1/retry/policies", 0) == 0 && route.method != "GET" && route.method != "DELETE")
        return {{"name", "\"p" + n + "\""}, {"max_retries", "3"}, {"initial_delay_seconds", "3600"},
                {"backoff_multiplier", "2"}, {"max_delay_seconds", "86400"}, {"channels", R"(["email"])"},
                {"retry_charge", "true"}, {"link_ttl_seconds", "86400"}};
    if (route.path.rfind("/v1/rules", 0) == 0 && route.method != "GET" && route.method != "DELETE")
        return {{"priority", "10"}, {"when", R"({"category":"insufficient_funds","amount_min":100})"},
                {"then", R"({"channels":["email"]})"}};
    if ((route.path == "/v1/templates" && route.method == "POST") || (route.path == "/v1/templates/{id}" && route.method == "PUT"))
        return {{"name", "\"t" + n + "\""}, {"channel", "\"email\""}, {"locale", "\"en\""}, {"subject", "\"Hello\""},
                {"text", "\"Pay {{amount}}\""}, {"html", "\"<p>{{amount}}</p>\""}};
    if (key == "POST /v1/templates/{id}/preview") return {{"data", R"({"customer_name":"Ann"})"}};
    if (key == "POST /v1/events/payment_failed")
        return {{"transaction_ref", "\"fz-" + n + "\""}, {"amount", "1999"}, {"currency", "\"EUR\""},
                {"decline_code", "\"insufficient_funds\""}, {"customer", R"({"email":"ann@example.com","name":"Ann"})"},
                {"metadata", R"({"order":"42"})"}};
    if (key == "POST /v1/webhook-endpoints")
        return {{"url", "\"https://hooks.example.com/fz-" + n + "\""}, {"events", R"(["recovery.recovered","link.opened"])"},
                {"description", "\"fuzz\""}};
    if (key == "PATCH /v1/webhook-endpoints/{id}")
        return {{"url", "\"https://hooks.example.com/fz-" + n + "\""}, {"events", R"(["*"])"}, {"disabled", "false"}};
    if (key == "POST /v1/classify") return {{"psp", "\"stripe\""}, {"code", "\"card_declined\""}};
    if (key == "POST /v1/webhooks/{plugin}/{org_slug}")
        return {{"id", "\"evt_" + n + "\""}, {"type", "\"payment_intent.payment_failed\""},
                {"data", R"({"object":{"id":"pi_1","amount":1000,"currency":"eur","metadata":{"transaction_ref":"x"}}})"}};
    return {};
}

std::string render(const Fields& fields) {
    std::string out = "{";
    for (const auto& [name, value] : fields) out += (out.size() > 1 ? "," : "") + ("\"" + name + "\":") + value;
    return out + "}";
}

std::string percentEncode(const std::string& raw) {
    std::string out;
    Poco::URI::encode(raw, "/?#%&=+ ", out);
    return out;
}

}  // namespace

std::vector<RouteInfo> listRoutes(TestHost& host) {
    auto answer = host.ops("GET", "/v1/admin/routes");
    if (answer.status != 200) throw std::runtime_error("GET /v1/admin/routes: " + answer.body);
    std::vector<RouteInfo> routes;
    auto list = answer.json()->getArray("routes");
    for (std::size_t i = 0; i < list->size(); ++i) {
        auto r = list->getObject(static_cast<unsigned>(i));
        routes.push_back({r->getValue<std::string>("method"), r->getValue<std::string>("path"), r->getValue<std::string>("access")});
    }
    return routes;
}

Fixture seedFixture(TestHost& host, const std::string& stripeApiBase, const std::string& stripeSecretKey) {
    Fixture f;
    f.opsToken = host.opsToken;
    host.createOrgWithKey(f.slugA);
    host.createOrgWithKey(f.slugB);
    auto expect = [](const HttpResult& r, int status, const std::string& what) {
        if (r.status != status) throw std::runtime_error("fixture: " + what + ": " + std::to_string(r.status) + " " + r.body);
        return r;
    };
    auto idOf = [](const HttpResult& r, const std::string& field) {
        return r.json()->get(field).toString();
    };
    const int port = host.port();
    f.stripeApiBase = stripeApiBase;
    f.stripeSecretKey = stripeSecretKey;
    restoreFixture(host, f);
    for (const auto& [key, org] : {std::pair{f.keyA, "a"}, std::pair{f.keyB, "b"}}) {
        f.ids.push_back(idOf(expect(httpCall(port, "POST", "/v1/retry/policies",
                                             R"({"name":"gentle","max_retries":3,"initial_delay_seconds":3600,"backoff_multiplier":2,)"
                                             R"("max_delay_seconds":86400,"channels":["email"],"retry_charge":true,"link_ttl_seconds":86400})",
                                             jsonBearer(key)), 201, "policy"), "id"));
        f.ids.push_back(idOf(expect(httpCall(port, "POST", "/v1/templates",
                                             R"({"name":"vip","channel":"email","locale":"en","subject":"Hi","text":"Pay {{amount}}"})",
                                             jsonBearer(key)), 201, "template"), "id"));
        f.ids.push_back(idOf(expect(httpCall(port, "POST", "/v1/rules",
                                             R"({"priority":5,"when":{"currency":"EUR"},"then":{"channels":["email"]}})", jsonBearer(key)),
                             201, "rule"), "id"));
        f.ids.push_back(idOf(expect(httpCall(port, "POST", "/v1/webhook-endpoints",
                                             R"({"url":"https://hooks.example.com/seed","events":["*"]})", jsonBearer(key)),
                             201, "webhook endpoint"), "id"));
        for (int i = 0; i < 2; ++i) {
            const std::string ref = std::string("seed-") + org + "-" + std::to_string(i);
            auto event = expect(httpCall(port, "POST", "/v1/events/payment_failed",
                                         R"({"transaction_ref":")" + ref + R"(","amount":4999,"currency":"EUR",)"
                                         R"("decline_code":"insufficient_funds","customer":{"email":"ann@example.com","name":"Ann"}})",
                                         jsonBearer(key)), 201, "failed payment");
            f.ids.push_back(idOf(event, "recovery_id"));
            f.refs.push_back(ref);
        }
        auto link = expect(httpCall(port, "POST", "/v1/recoveries/by_ref/seed-" + std::string(org) + "-0/link", "", bearer(key)),
                           201, "link");
        const std::string url = link.json()->getValue<std::string>("url");
        f.linkTokens.push_back(url.substr(url.rfind('/') + 1));
    }
    f.pluginPaths = {TINKO_DEFAULT_PLUGIN_DIR "/stripe.so", "/etc/shadow", "/proc/self/environ", "/nonexistent.so", "/tmp",
                     "relative.so", std::string(5000, 'a')};
    return f;
}

void restoreFixture(TestHost& host, Fixture& fixture) {
    for (auto* slugAndKey : {&fixture.slugA, &fixture.slugB}) {
        auto r = host.ops("POST", "/v1/admin/orgs/" + *slugAndKey + "/api-keys", R"({"label":"fuzz"})");
        if (r.status != 201) throw std::runtime_error("fixture: a new key for " + *slugAndKey + ": " + r.body);
        const std::string key = r.json()->getValue<std::string>("key");
        (slugAndKey == &fixture.slugA ? fixture.keyA : fixture.keyB) = key;
        auto psp = httpCall(host.port(), "PUT", "/v1/config/psp",
                            R"({"plugin":"stripe","config":{"secret_key":")" + fixture.stripeSecretKey + R"(","webhook_secret":"whsec_fuzz","api_base":")" +
                                fixture.stripeApiBase + R"("}})", jsonBearer(key));
        if (psp.status != 200) throw std::runtime_error("fixture: stripe for " + *slugAndKey + ": " + psp.body);
    }
}

std::string RawRequest::bytes() const {
    std::string out = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
    for (const auto& [name, value] : headers) out += name + ": " + value + "\r\n";
    out += "Content-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n";
    return out + body;
}

RawAnswer send(int port, const RawRequest& request) {
    RawAnswer answer;
    Poco::Net::StreamSocket socket;
    socket.connect(Poco::Net::SocketAddress("127.0.0.1", static_cast<Poco::UInt16>(port)), Poco::Timespan(10, 0));
    socket.setReceiveTimeout(Poco::Timespan(10, 0));
    socket.setSendTimeout(Poco::Timespan(30, 0));
    const std::string bytes = request.bytes();
    try {
        for (std::size_t sent = 0; sent < bytes.size();)
            sent += static_cast<std::size_t>(socket.sendBytes(bytes.data() + sent, static_cast<int>(bytes.size() - sent)));
    } catch (const Poco::Exception&) {
        // The host may answer (413) and close before reading everything; read what it said.
    }
    std::string in;
    char buffer[65536];
    std::size_t headerEnd = std::string::npos, wanted = std::string::npos;
    try {
        while (true) {
            int n = socket.receiveBytes(buffer, sizeof buffer);
            if (n <= 0) break;
            in.append(buffer, static_cast<std::size_t>(n));
            if (headerEnd == std::string::npos && (headerEnd = in.find("\r\n\r\n")) != std::string::npos) {
                std::string lower = in.substr(0, headerEnd);
                for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
                auto at = lower.find("\r\ncontent-length:");
                if (at != std::string::npos) wanted = headerEnd + 4 + std::stoul(lower.substr(at + 17));
            }
            if (wanted != std::string::npos && in.size() >= wanted) break;
        }
    } catch (const Poco::Exception&) {
    }
    if (in.rfind("HTTP/1.", 0) == 0 && in.size() >= 12) answer.status = std::atoi(in.substr(9, 3).c_str());
    if (headerEnd != std::string::npos) answer.body = in.substr(headerEnd + 4);
    return answer;
}

bool isUnknownMethod(const std::string& method) {
    for (const char* known : {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"})
        if (method == known) return false;
    return true;
}

std::string printable(const std::string& bytes) {
    std::string out;
    std::size_t run = 0;
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        const unsigned char c = static_cast<unsigned char>(bytes[i]);
        run = (i > 0 && bytes[i] == bytes[i - 1]) ? run + 1 : 0;
        if (run == 20) out += "[...]";
        if (run >= 20) continue;
        if (c == '\r') out += "\\r";
        else if (c == '\n') out += "\\n\n";
        else if (c < 0x20 || c >= 0x7f) {
            static const char* hex = "0123456789abcdef";
            out += "\\x";
            out += hex[c >> 4];
            out += hex[c & 15];
        } else out += static_cast<char>(c);
        if (out.size() > 3000) return out + "[... " + std::to_string(bytes.size()) + " bytes]";
    }
    return out;
}

RawRequest Generator::next(const RouteInfo& route, const Fixture& fixture) {
    RawRequest request;
    request.method = method(route);
    request.target = target(route, fixture);
    request.body = body(route, fixture);
    request.headers = headers(route, fixture, !request.body.empty());
    return request;
}

std::string Generator::method(const RouteInfo& route) {
    if (!chance(12)) return route.method;
    return oneOf(std::vector<std::string>{"HEAD", "OPTIONS", "TRACE", "CONNECT", "PROPFIND", "get", "FOO", "DELETE", "PATCH",
                                          "PUT", "\xc3\x28", "G\xffT", std::string(300, 'X'), "POST"});
}

std::string Generator::pathValue(const std::string& name, const Fixture& f) {
    if (chance(25)) return percentEncode(hostileText());
    if (name == "slug" || name == "org_slug") return oneOf(std::vector<std::string>{f.slugA, f.slugB, "nope", "FUZZ", "a"});
    if (name == "id") {
        if (chance(70)) return oneOf(f.ids);
        return oneOf(std::vector<std::string>{"0", "-1", "1", "99999999", "9223372036854775807", "9223372036854775808",
                                              "18446744073709551616", "1e3", "0x10", "01", "rec_abc", "%00", "1%00"});
    }
    if (name == "ref") return chance(70) ? oneOf(f.refs) : oneOf(std::vector<std::string>{"x", "%00", "a%2Fb", "%FF%FE"});
    if (name == "token") return chance(60) ? oneOf(f.linkTokens) : oneOf(std::vector<std::string>{"x", "r_", "%00", std::string(600, 'a')});
    if (name == "plugin" || name == "name")
        return oneOf(std::vector<std::string>{"stripe", "razorpay", "paypal", "notify-smtp", "notify-twilio", "test-echo", "STRIPE", "..", "%2e%2e"});
    if (name == "channel") return oneOf(std::vector<std::string>{"email", "sms", "push", "EMAIL", ""});
    if (name == "file") return oneOf(std::vector<std::string>{"index.html", "console.js", "console.css", "..%2F..%2Fetc%2Fpasswd", "%2e%2e", "x.map"});
    return "x";
}

std::string Generator::target(const RouteInfo& route, const Fixture& fixture) {
    std::string out;
    std::size_t i = 0;
    const std::string& p = route.path;
    while (i < p.size()) {
        if (p[i] == '{') {
            const std::size_t close = p.find('}', i);
            out += pathValue(p.substr(i + 1, close - i - 1), fixture);
            i = close + 1;
        } else {
            out += p[i++];
        }
    }
    if (chance(5)) out += "/";
    if (chance(3)) out = "/" + out;
    if (chance(3)) out += "/%zz";
    if (chance(40)) out += query();
    return out;
}

std::string Generator::query() {
    static const std::vector<std::string> names{"limit", "cursor", "from", "to", "after", "type", "state", "locale", "x"};
    static const std::vector<std::string> values{"10", "0", "-1", "1000000", "99999999999999999999", "abc", "%00", "%FF%FE",
                                                 "2026-01-01", "2026-13-45", "1e9", "", "%", "a%20b", "eyJpZCI6MX0"};
    std::string q = "?";
    for (std::size_t n = 1 + pick(3); n > 0; --n) q += (q.size() > 1 ? "&" : "") + oneOf(names) + "=" + oneOf(values);
    if (chance(10)) q += "&" + percentEncode(hostileText()) + "=1";
    return q;
}

std::string Generator::hostileText() {
    switch (pick(14)) {
        case 0: return std::string(20000 + pick(50000), 'a');
        case 1: return std::string("a\0b", 3);
        case 2: return "\xff\xfe\xfd";
        case 3: return "\xc3\x28";                   // an invalid two-byte sequence
        case 4: return "\xed\xa0\x80";               // a UTF-16 surrogate in UTF-8
        case 5: return "\xf4\x90\x80\x80";           // past U+10FFFF
        case 6: return "<script>alert(1)</script>";
        case 7: return "{{{customer_name}}}";
        case 8: return "../../../../etc/passwd";
        case 9: return "\r\nSet-Cookie: x=1";
        case 10: return "' OR 1=1; --";
        case 11: return "\xe2\x80\xae\xf0\x9f\x92\xb8";   // right-to-left override and an emoji: valid
        case 12: return "";
        default: return std::string(1 + pick(8), ' ');
    }
}

std::string Generator::hostileJsonValue() {
    switch (pick(24)) {
        case 0: return "\"" + std::string(100000 + pick(100000), 'x') + "\"";
        case 1: return "9223372036854775808";
        case 2: return "-9223372036854775809";
        case 3: return "18446744073709551616";
        case 4: return "1e400";
        case 5: return "-0.0";
        case 6: return "1.5";
        case 7: return "true";
        case 8: return "null";
        case 9: return "[]";
        case 10: return "{}";
        case 11: return "\"\\u0000\"";
        case 12: return "\"a\\u0000b\"";
        case 13: return "\"\xff\xfe\"";
        case 14: return "\"\\ud800\"";
        case 15: return std::string(5000 + pick(20000), '[') + std::string(5000, ']');
        case 16: {
            std::string deep;
            for (int i = 0; i < 3000; ++i) deep += "{\"a\":";
            return deep + "1" + std::string(3000, '}');
        }
        case 17: return "\"<img src=x onerror=alert(1)>\"";
        case 18: return "\"{{{customer_name}}}\"";
        case 19: return "-1";
        case 20: return "0";
        case 21: return "[" + std::string(2000, '1').insert(1, ",") + "]";
        case 22: return "{\"a\":1,\"a\":2}";
        default: return "\"" + std::string(1 + pick(5), ' ') + "\"";
    }
}

std::string Generator::body(const RouteInfo& route, const Fixture& fixture) {
    Fields fields = exampleBody(route, fixture, rng_);
    const bool takesBody = !fields.empty() || route.method == "POST" || route.method == "PUT" || route.method == "PATCH";
    if (!takesBody) return chance(10) ? "{\"unexpected\":true}" : "";
    switch (pick(10)) {
        case 0: {   // whole-body damage
            std::string text = render(fields);
            switch (pick(7)) {
                case 0: return text.substr(0, pick(text.size() + 1));
                case 1: return "[]";
                case 2: return "\"just a string\"";
                case 3: return std::string(2 * 1024 * 1024 + pick(1000), '{');
                case 4: return "\xef\xbb\xbf" + text;   // a byte order mark
                case 5: return std::string("{\"a\":\"\0\"}", 9);
                default: return hostileText();
            }
        }
        case 1:   // a missing field
            if (!fields.empty()) fields.erase(fields.begin() + static_cast<long>(pick(fields.size())));
            return render(fields);
        case 2:   // an extra field
            fields.emplace_back(chance(50) ? "extra" : "\xff\xfe", hostileJsonValue());
            return render(fields);
        case 3: return render(fields);   // the valid example itself
        default:  // one or more fields with hostile values
            if (fields.empty()) fields.emplace_back("x", "1");
            for (std::size_t n = 1 + pick(2); n > 0; --n) fields[pick(fields.size())].second = hostileJsonValue();
            return render(fields);
    }
}

std::vector<std::pair<std::string, std::string>> Generator::headers(const RouteInfo& route, const Fixture& f, bool hasBody) {
    std::vector<std::pair<std::string, std::string>> out;
    // Credentials: mostly the right kind for the route, sometimes another org's, none, or garbage.
    const std::string right = route.access == "ops" ? f.opsToken : chance(80) ? f.keyA : f.keyB;
    switch (pick(10)) {
        case 0: break;
        case 1: out.emplace_back("Authorization", "Bearer " + (route.access == "ops" ? f.keyA : f.opsToken)); break;
        case 2: out.emplace_back("Authorization", oneOf(std::vector<std::string>{"Bearer", "Bearer ", "Basic YTpi", "Bearer tk_\xff\xfe",
                                                                                 "Bearer " + std::string(9000, 'k'), "bearer " + right})); break;
        default: out.emplace_back("Authorization", "Bearer " + right);
    }
    if (hasBody || chance(20))
        out.emplace_back("Content-Type", chance(80) ? "application/json"
                                                    : oneOf(std::vector<std::string>{"text/plain", "application/json; charset=latin1",
                                                                                     "multipart/form-data; boundary=x", "application/x-www-form-urlencoded",
                                                                                     "application/json\xff", ""}));
    if (chance(30))
        out.emplace_back("Idempotency-Key", oneOf(std::vector<std::string>{"key-" + std::to_string(pick(50)), std::string(5000, 'k'), "\xff\xfe",
                                                                           "a\x01" "b", " ", "\xc3\xa9t\xc3\xa9"}));
    if (chance(15)) out.emplace_back("X-Request-Id", oneOf(std::vector<std::string>{"\xff", std::string(500, 'r'), "ok-1"}));
    if (chance(15)) out.emplace_back("Accept-Language", oneOf(std::vector<std::string>{"de-DE,de;q=0.9", "\xff\xfe", "*;q=abc", std::string(3000, 'x')}));
    if (route.path.rfind("/v1/webhooks", 0) == 0) {
        out.emplace_back("Stripe-Signature", oneOf(std::vector<std::string>{"t=1,v1=abc", "t=99999999999999999999,v1=", "\xff", ""}));
        if (chance(40)) out.emplace_back("X-Razorpay-Signature", oneOf(std::vector<std::string>{"abc", "\xff\xfe"}));
        if (chance(40)) out.emplace_back("X-Razorpay-Event-Id", oneOf(std::vector<std::string>{"evt_1", "\xff\xfe", std::string(3000, 'e')}));
        if (chance(30)) {
            out.emplace_back("Paypal-Transmission-Id", "tid-" + std::to_string(pick(5)));
            out.emplace_back("Paypal-Transmission-Sig", "c2ln");
            out.emplace_back("Paypal-Cert-Url", oneOf(std::vector<std::string>{"https://api.paypal.com/cert.pem", "http://169.254.169.254/", "file:///etc/passwd"}));
        }
        if (chance(30)) out.emplace_back("X-Twilio-Signature", oneOf(std::vector<std::string>{"abc=", "\xff"}));
    }
    if (chance(5)) out.emplace_back("X-" + std::string(200, 'h'), "1");
    if (chance(5)) out.emplace_back("Transfer-Encoding", "identity");
    return out;
}

}  // namespace tinko::test::fuzz
