// test-old-abi-1-0 and test-old-abi-1-1: PSP plugins as built years ago against the ABI 1.0 and 1.1
// SDKs, to prove a newer host still loads and runs them. They include OldAbi.h (1.0's structs,
// frozen) instead of tinko/abi.h and use no SDK helper, so nothing of the current ABI leaks in:
// 1.0's operation table ends before complete_checkout, and neither knows TINKO_ERR_OPTED_OUT.
// TINKO_OLD_ABI_MINOR (0 or 1) picks the version.
//
// Every outbound call puts its tinko_http_response on the stack with a guard after it, and fails
// the operation if the host wrote past the struct's end or changed its struct_size.
//
// config {"provider_url": "http://127.0.0.1:PORT" (any server answering GET /healthz), "webhook_secret"}
// classify          code "old_abi_nsf" -> soft insufficient_funds, else soft generic_decline;
//                   the codes below probe the host's struct_size checks instead:
//                   "short_error"          reports an AUTH error in a tinko_error of struct_size 16
//                   "short_http_request"   sends a tinko_http_request of struct_size 8; answers the
//                                          host's transport_error as a NETWORK error
//                   "unset_http_response"  passes a tinko_http_response of struct_size 0 (1.0 let
//                                          the host set it); answers {...,"transport_error": str}
//                   "short_http_response"  passes a tinko_http_response of struct_size 8; answers
//                                          {"category":"generic_decline",...,"untouched":true|false}
// create_checkout   GET provider_url/healthz through the host; -> checkout_url provider_url/healthz?checkout=<recovery_id>
// retry_charge      -> declined (insufficient_funds)
// verify_webhook    header x-test-secret must equal webhook_secret (else AUTH); header
//                   x-test-short-error answers AUTH in a short tinko_error instead
// parse_webhook     body {"id", "recovery_id"} -> one payment_succeeded event
// complete_checkout (1.1 only) logs "complete_checkout called for <recovery_id>", -> pending
#include "OldAbi.h"

#include "tinko/json.hpp"

#include <cstring>
#include <new>
#include <string>

#ifndef TINKO_OLD_ABI_MINOR
#error "build with TINKO_OLD_ABI_MINOR 0 or 1"
#endif

namespace {

using tinko::json::Value;
using namespace abi10;

struct Plugin {
    const host_services* host;
};

Plugin* self(instance* i) { return reinterpret_cast<Plugin*>(i); }
str view(const std::string& s) { return str{s.data(), s.size()}; }
str literal(const char* s) { return str{s, std::strlen(s)}; }
std::string text(str s) { return s.ptr ? std::string(s.ptr, s.len) : std::string(); }

// Reports an error in 1.0's tinko_error; `structSize` below 48 is the short-struct probe.
status fail(const Plugin* p, result* r, uint32_t cat, const std::string& message, uint32_t structSize = sizeof(error)) {
    error e{};
    e.struct_size = structSize;
    e.category = cat;
    e.retryable = 0;
    e.provider_code = str{nullptr, 0};
    e.message = view(message);
    p->host->result_set_error(r, &e);
    return ERROR;
}
status answer(const Plugin* p, result* r, const Value& v) {
    const std::string json = v.dump();
    p->host->result_set_json(r, view(json));
    return OK;
}
void logInfo(const Plugin* p, const std::string& line) { p->host->log(p->host->ctx, 1, view(line)); }

constexpr unsigned char kGuardByte = 0xA5;

// The response struct with a guard right after it, as it lies on the plugin's stack.
struct GuardedResponse {
    http_response response;
    unsigned char guard[64];
};
bool guardIntact(const GuardedResponse& g) {
    for (unsigned char b : g.guard)
        if (b != kGuardByte) return false;
    return true;
}

struct HttpOutcome {
    bool ok = false;
    int status = 0;
    std::string transportError;
    std::string broken;   // what the host did wrong to our struct, if anything
};

HttpOutcome get(const Plugin* p, const std::string& url, uint32_t requestSize = sizeof(http_request),
                uint32_t responseSize = sizeof(http_response)) {
    http_request request{};
    request.struct_size = requestSize;
    request.method = literal("GET");
    request.url = view(url);
    request.timeout_ms = 10000;
    GuardedResponse g;
    std::memset(&g, kGuardByte, sizeof g);
    g.response.struct_size = responseSize;
    HttpOutcome out;
    out.ok = p->host->http_request(p->host->ctx, &request, &g.response) == OK;
    if (!guardIntact(g)) out.broken = "the host wrote past the end of the plugin's 64-byte tinko_http_response";
    else if (g.response.struct_size != sizeof(http_response))
        out.broken = "the host changed the response's struct_size to " + std::to_string(g.response.struct_size);
    out.status = g.response.status;
    out.transportError = text(g.response.transport_error);
    p->host->http_response_free(p->host->ctx, &g.response);
    if (out.broken.empty() && !guardIntact(g)) out.broken = "http_response_free wrote past the end of the plugin's tinko_http_response";
    return out;
}

// A response of struct_size 8: the host must refuse it and write nothing at all into it.
bool shortResponseUntouched(const Plugin* p) {
    http_request request{};
    request.struct_size = sizeof(http_request);
    request.method = literal("GET");
    request.url = literal("http://127.0.0.1:1/");
    GuardedResponse g;
    std::memset(&g, kGuardByte, sizeof g);
    g.response.struct_size = 8;
    const bool refused = p->host->http_request(p->host->ctx, &request, &g.response) == ERROR;
    p->host->http_response_free(p->host->ctx, &g.response);
    const auto* bytes = reinterpret_cast<const unsigned char*>(&g);
    for (std::size_t i = sizeof(uint32_t); i < sizeof g; ++i)
        if (bytes[i] != kGuardByte) return false;
    return refused && g.response.struct_size == 8;
}

Value parse(str request) { return tinko::json::parse(text(request)); }
std::string configText(const Value& request, const char* key) {
    const Value* config = request.find("config");
    const Value* v = config ? config->find(key) : nullptr;
    return v && v->isString() ? v->asString() : std::string();
}

// Every operation catches everything: no exception crosses the C boundary.
template <class Body>
status guarded(instance* i, result* r, Body body) {
    const Plugin* p = self(i);
    try {
        return body(p);
    } catch (const std::exception& e) {
        return fail(p, r, INVALID_INPUT, e.what());
    } catch (...) {
        return fail(p, r, INTERNAL, "unknown exception");
    }
}

status describe(instance* i, str, result* r) {
    return guarded(i, r, [&](const Plugin* p) {
        Value ops = Value::array({"classify", "create_checkout", "retry_charge", "verify_webhook", "parse_webhook"});
        if (TINKO_OLD_ABI_MINOR >= 1) ops.push("complete_checkout");
        return answer(p, r, Value::object({{"display_name", "Old ABI test PSP"}, {"operations", ops}, {"webhook_events", Value::array({"paid"})}}));
    });
}

status validateConfig(instance* i, str request, result* r) {
    return guarded(i, r, [&](const Plugin* p) {
        const Value v = parse(request);
        if (configText(v, "provider_url").empty()) return fail(p, r, INVALID_CONFIG, "config.provider_url is required");
        if (configText(v, "webhook_secret").empty()) return fail(p, r, INVALID_CONFIG, "config.webhook_secret is required");
        return answer(p, r, Value::object());
    });
}

Value classification(const std::string& category) {
    return Value::object({{"category", category}, {"hardness", "soft"}, {"retryable", true}});
}

status classify(instance* i, str request, result* r) {
    return guarded(i, r, [&](const Plugin* p) {
        const Value v = parse(request);
        const std::string code = v.getOr<std::string>("code", "");
        if (code == "short_error") return fail(p, r, AUTH, "this error's struct is too short to be read", 16);
        if (code == "short_http_request") {
            const HttpOutcome o = get(p, "http://127.0.0.1:1/", 8);
            if (!o.broken.empty()) return fail(p, r, INTERNAL, o.broken);
            return fail(p, r, NETWORK, o.ok ? "the host sent a request of struct_size 8" : o.transportError);
        }
        if (code == "unset_http_response") {   // struct_size 0, as 1.0 allowed: the host fills 1.0's struct
            const HttpOutcome o = get(p, "http://127.0.0.1:1/", sizeof(http_request), 0);
            if (!o.broken.empty()) return fail(p, r, INTERNAL, o.broken);
            Value out = classification("generic_decline");
            out.set("transport_error", o.transportError);
            return answer(p, r, out);
        }
        if (code == "short_http_response") {
            Value out = classification("generic_decline");
            out.set("untouched", shortResponseUntouched(p));
            return answer(p, r, out);
        }
        return answer(p, r, classification(code == "old_abi_nsf" ? "insufficient_funds" : "generic_decline"));
    });
}

status createCheckout(instance* i, str request, result* r) {
    return guarded(i, r, [&](const Plugin* p) {
        const Value v = parse(request);
        const std::string base = configText(v, "provider_url");
        const HttpOutcome o = get(p, base + "/healthz");
        if (!o.broken.empty()) return fail(p, r, INTERNAL, o.broken);
        if (!o.ok || o.status != 200)
            return fail(p, r, NETWORK, "the provider did not answer 200: " + std::to_string(o.status) + " " + o.transportError);
        const std::string id = v.at("recovery_id").asString();
        return answer(p, r, Value::object({{"checkout_url", base + "/healthz?checkout=" + id},
                                           {"provider_reference", "old-" + id},
                                           {"expires_at", v.at("expires_at").asInt()}}));
    });
}

status retryCharge(instance* i, str, result* r) {
    return guarded(i, r, [&](const Plugin* p) {
        return answer(p, r, Value::object({{"outcome", "declined"}, {"decline_code", "insufficient_funds"}}));
    });
}

status verifyWebhook(instance* i, str request, result* r) {
    return guarded(i, r, [&](const Plugin* p) {
        const Value v = parse(request);
        const Value& headers = v.at("headers");
        if (headers.find("x-test-short-error")) return fail(p, r, AUTH, "refused in a short struct", 16);
        const Value* secret = headers.find("x-test-secret");
        if (!secret || !secret->isString() || secret->asString() != configText(v, "webhook_secret"))
            return fail(p, r, AUTH, "x-test-secret does not match");
        return answer(p, r, Value::object());
    });
}

status parseWebhook(instance* i, str request, result* r) {
    return guarded(i, r, [&](const Plugin* p) {
        const Value body = tinko::json::parse(parse(request).at("body").asString());
        return answer(p, r, Value::object({{"event_id", body.at("id").asString()},
                                           {"events", Value::array({Value::object({{"type", "payment_succeeded"},
                                                                                   {"recovery_id", body.at("recovery_id").asString()}})})}}));
    });
}

#if TINKO_OLD_ABI_MINOR >= 1
status completeCheckout(instance* i, str request, result* r) {
    return guarded(i, r, [&](const Plugin* p) {
        logInfo(p, "complete_checkout called for " + parse(request).at("recovery_id").asString());
        return answer(p, r, Value::object({{"outcome", "pending"}}));
    });
}
#endif

status create(const host_services* host, instance** out, result* r) {
    if (out) *out = nullptr;
    // 1.0's services are all this plugin uses; a host offering fewer is not one it can run on.
    if (!host || host->struct_size < sizeof(host_services) || !out) return ERROR;
    (void)r;
    auto* p = new (std::nothrow) Plugin{host};
    if (!p) return ERROR;
    *out = reinterpret_cast<instance*>(p);
    return OK;
}
void destroy(instance* i) { delete self(i); }

#if TINKO_OLD_ABI_MINOR >= 1
const psp_operations_1_1 operations = {{sizeof(psp_operations_1_1), describe, validateConfig, classify, createCheckout,
                                        retryCharge, verifyWebhook, parseWebhook},
                                       completeCheckout};
#define TINKO_OLD_NAME "test-old-abi-1-1"
#else
const psp_operations operations = {sizeof(psp_operations), describe, validateConfig, classify, createCheckout,
                                   retryCharge, verifyWebhook, parseWebhook};
#define TINKO_OLD_NAME "test-old-abi-1-0"
#endif

const plugin_descriptor descriptor = {
    // "save_payment_method" means something only from ABI 1.3 on: a host must not act on it here
    // (a 1.x plugin would ignore create_checkout's "mode" and take a payment instead).
    sizeof(plugin_descriptor), 1, TINKO_OLD_ABI_MINOR, KIND_PSP, TINKO_OLD_NAME, "1.0.0",
    R"(["checkout","webhooks","save_payment_method"])",
    R"({"type":"object","required":["provider_url","webhook_secret"],)"
    R"("properties":{"provider_url":{"type":"string"},"webhook_secret":{"type":"string"}}})",
    create, destroy, reinterpret_cast<const psp_operations*>(&operations), nullptr};

}  // namespace

extern "C" __attribute__((visibility("default"))) const plugin_descriptor* tinko_plugin_entry(void) { return &descriptor; }
