#pragma once
// tinko::sdk: header-only C++ helpers over the C boundary in abi.h, so that a plugin is an ordinary
// class per kind plus one export macro:
//
//     class Acme : public tinko::sdk::PspPlugin {
//     public:
//         using PspPlugin::PspPlugin;
//         std::string describe(const std::string&) override { return R"({"display_name":"Acme"})"; }
//         std::string classify(const std::string& requestJson) override { ... }
//     };
//     TINKO_PSP_PLUGIN(Acme, "acme", "1.0.0", R"(["classify"])", R"({"type":"object"})")
//
// What the helpers guarantee at the boundary:
//   - Every entry point (create, destroy, each operation) is an exception barrier: sdk::Error
//     becomes its own category, any other std::exception TINKO_ERR_INTERNAL with what(), anything
//     else TINKO_ERR_INTERNAL. No exception ever reaches the host.
//   - An operation's answer must be a JSON object (the ABI says so); one that is not is reported
//     as TINKO_ERR_INTERNAL instead of being passed on.
//   - Requests are copied into std::string before the plugin sees them (the host lends them for
//     the call only); answers are copied by the host's setters.
//
// Why there is no function-local `static` in an inline function or template here, and no
// thread_local with a destructor: g++ emits such a static as an STB_GNU_UNIQUE symbol, which
// makes dlclose() a silent no-op and lets version 2 of a plugin share version 1's objects; a
// thread_local with a destructor registers a per-thread cleanup that pins the library until the
// host thread (which lives for the whole process) ends. Either way a swapped-out plugin could
// never be unloaded. The descriptor and operation tables are therefore namespace-scope objects
// with internal linkage, defined by the export macro in the plugin's own translation unit.
#include "tinko/abi.h"
#include "tinko/json.hpp"

#include <cstdint>
#include <exception>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace tinko::sdk {

// ---- Errors -----------------------------------------------------------------------------------

// What an operation throws to answer with a structured error (see tinko_error in abi.h).
class Error : public std::runtime_error {
public:
    Error(tinko_error_category category, const std::string& message, bool retryable = false,
          std::string providerCode = {})
        : std::runtime_error(message), category_(category), retryable_(retryable),
          providerCode_(std::move(providerCode)) {}

    tinko_error_category category() const { return category_; }
    bool retryable() const { return retryable_; }
    const std::string& providerCode() const { return providerCode_; }
    std::string message() const { return what(); }

private:
    tinko_error_category category_;
    bool retryable_;
    std::string providerCode_;
};

inline Error invalidInput(const std::string& message) { return Error(TINKO_ERR_INVALID_INPUT, message); }
// A configuration problem; the ABI asks that `message` names the key.
inline Error invalidConfig(const std::string& message) { return Error(TINKO_ERR_INVALID_CONFIG, message); }
inline Error authFailed(const std::string& message, std::string providerCode = {}) {
    return Error(TINKO_ERR_AUTH, message, false, std::move(providerCode));
}
// The provider answered with an error; retryable when the same call may succeed later.
inline Error providerError(const std::string& message, bool retryable, std::string providerCode = {}) {
    return Error(TINKO_ERR_PROVIDER, message, retryable, std::move(providerCode));
}
// The provider could not be reached: the outcome of the call is unknown.
inline Error networkError(const std::string& message) { return Error(TINKO_ERR_NETWORK, message, true); }
inline Error unsupported(const std::string& operation) {
    return Error(TINKO_ERR_UNSUPPORTED, "this plugin does not offer " + operation);
}
inline Error internalError(const std::string& message) { return Error(TINKO_ERR_INTERNAL, message); }

// ---- Reading requests -------------------------------------------------------------------------

// The request as a JSON object; TINKO_ERR_INVALID_INPUT when it is not JSON or not an object.
inline json::Value parseRequest(const std::string& requestJson) {
    json::Value request;
    try {
        request = json::parse(requestJson);
    } catch (const json::ParseError& e) {
        throw invalidInput(std::string("the request is not JSON: ") + e.what());
    }
    if (!request.isObject()) throw invalidInput("the request must be a JSON object");
    return request;
}

// request["config"]; TINKO_ERR_INVALID_CONFIG when it is missing or not an object.
inline const json::Value& configOf(const json::Value& request) {
    const json::Value* config = request.find("config");
    if (!config || !config->isObject()) throw invalidConfig("config must be a JSON object");
    return *config;
}
// The answer would point into a temporary request: keep the parsed request in a variable.
const json::Value& configOf(json::Value&& request) = delete;

// object[key] as a non-empty string; an Error of `category` naming the key when it is not one.
inline std::string requireString(const json::Value& object, std::string_view key,
                                 tinko_error_category category = TINKO_ERR_INVALID_INPUT) {
    const json::Value* v = object.find(key);
    if (!v || !v->isString() || v->asString().empty())
        throw Error(category, std::string(key) + " is required and must be a non-empty string");
    return v->asString();
}

// object[key] as an integer (exact int64); an Error of `category` naming the key when it is not one.
inline std::int64_t requireInt(const json::Value& object, std::string_view key,
                               tinko_error_category category = TINKO_ERR_INVALID_INPUT) {
    const json::Value* v = object.find(key);
    if (!v || !v->isInt()) throw Error(category, std::string(key) + " is required and must be an integer");
    return v->asInt();
}

// ---- Host services ----------------------------------------------------------------------------

struct Header {
    std::string name;
    std::string value;
};

struct HttpRequest {
    std::string method = "GET";
    std::string url;              // absolute http(s) URL; plain http only to loopback
    std::vector<Header> headers;
    std::string body;
    std::uint32_t timeoutMs = 0;  // 0 = the host's default
};

struct HttpResponse {
    int status = 0;               // 0 when no answer came
    std::vector<Header> headers;  // names lower-cased by the host
    std::string body;
    std::string transportError;   // why no answer came; empty when one did

    bool answered() const { return transportError.empty() && status != 0; }
    // The first header of that (lower-case) name, or "".
    std::string header(std::string_view lowerName) const {
        for (const Header& h : headers)
            if (h.name == lowerName) return h.value;
        return {};
    }
};

// An outbound TCP connection owned by the host; closed when this object goes. Failures throw
// Error(TINKO_ERR_NETWORK) carrying the host's reason.
class Stream {
public:
    Stream() = default;
    Stream(Stream&& other) noexcept { *this = std::move(other); }
    Stream& operator=(Stream&& other) noexcept {
        if (this != &other) {
            close();
            services_ = std::exchange(other.services_, nullptr);
            stream_ = std::exchange(other.stream_, nullptr);
        }
        return *this;
    }
    Stream(const Stream&) = delete;
    Stream& operator=(const Stream&) = delete;
    ~Stream() { close(); }

    bool isOpen() const { return stream_ != nullptr; }

    void write(std::string_view data) {
        if (failed(services_->stream_write(openStream(), tinko_str{data.data(), data.size()})))
            throw networkError("writing to the connection failed: " + errorText());
    }
    // What the peer sent: at least one byte, at most `maxBytes`.
    std::string read(std::size_t maxBytes = 4096) {
        std::string buffer(maxBytes, '\0');
        std::size_t received = 0;
        if (failed(services_->stream_read(openStream(), buffer.data(), buffer.size(), &received)))
            throw networkError("reading from the connection failed: " + errorText());
        buffer.resize(received);
        return buffer;
    }
    // Upgrades the connection to TLS (STARTTLS), verifying the certificate against `serverName`.
    void startTls(std::string_view serverName) {
        if (failed(services_->stream_start_tls(openStream(), tinko_str{serverName.data(), serverName.size()})))
            throw networkError("starting TLS failed: " + errorText());
    }
    // Why the last call on this stream failed (the host's words), or "".
    std::string errorText() const {
        if (!stream_) return "the connection is closed";
        tinko_str why = services_->stream_error(stream_);
        return why.ptr ? std::string(why.ptr, why.len) : std::string();
    }
    void close() noexcept {
        if (stream_) services_->stream_close(stream_);
        stream_ = nullptr;
    }

private:
    friend class Host;
    Stream(const tinko_host_services* services, tinko_stream* stream) : services_(services), stream_(stream) {}

    tinko_stream* openStream() const {
        if (!stream_) throw networkError("the connection is closed");
        return stream_;
    }
    static bool failed(tinko_status status) { return status != TINKO_OK; }

    const tinko_host_services* services_ = nullptr;
    tinko_stream* stream_ = nullptr;
};

// The services the host lent this instance (valid from create() until destroy() returns). Cheap to
// copy; every member is safe to call from many threads at once.
class Host {
public:
    explicit Host(const tinko_host_services* services) : services_(services) {}

    const tinko_host_services* services() const { return services_; }

    void log(tinko_log_level level, std::string_view message) const {
        services_->log(services_->ctx, level, tinko_str{message.data(), message.size()});
    }
    void debug(std::string_view message) const { log(TINKO_LOG_DEBUG, message); }
    void info(std::string_view message) const { log(TINKO_LOG_INFO, message); }
    void warn(std::string_view message) const { log(TINKO_LOG_WARN, message); }
    void error(std::string_view message) const { log(TINKO_LOG_ERROR, message); }

    std::int64_t nowUnixMs() const { return services_->now_unix_ms(services_->ctx); }

    std::vector<std::uint8_t> randomBytes(std::size_t length) const {
        std::vector<std::uint8_t> bytes(length);
        if (services_->random_bytes(services_->ctx, bytes.data(), bytes.size()) != TINKO_OK)
            throw internalError("the host could not provide random bytes");
        return bytes;
    }
    std::uint64_t randomUint64() const {
        std::uint64_t n = 0;
        for (std::uint8_t byte : randomBytes(sizeof n)) n = (n << 8) | byte;
        return n;
    }

    // Sends `request` through the host and copies the answer out. Never throws for a failed
    // transport: the response then has status 0 and says why in transportError (for a payment call
    // that means the outcome is unknown, which the caller must say, not hide).
    HttpResponse http(const HttpRequest& request) const {
        std::vector<tinko_header> headers;
        headers.reserve(request.headers.size());
        for (const Header& h : request.headers)
            headers.push_back({{h.name.data(), h.name.size()}, {h.value.data(), h.value.size()}});
        tinko_http_request raw{};
        raw.struct_size = sizeof raw;
        raw.method = {request.method.data(), request.method.size()};
        raw.url = {request.url.data(), request.url.size()};
        raw.headers = headers.data();
        raw.header_count = headers.size();
        raw.body = {request.body.data(), request.body.size()};
        raw.timeout_ms = request.timeoutMs;

        tinko_http_response answer{};
        answer.struct_size = sizeof answer;
        const tinko_status status = services_->http_request(services_->ctx, &raw, &answer);
        // Frees the host's response however this function leaves, copying included.
        struct Release {
            const tinko_host_services* services;
            tinko_http_response* response;
            ~Release() { services->http_response_free(services->ctx, response); }
        } release{services_, &answer};

        HttpResponse out;
        out.status = status == TINKO_OK ? answer.status : 0;
        for (std::size_t i = 0; answer.headers && i < answer.header_count; ++i)
            out.headers.push_back({text(answer.headers[i].name), text(answer.headers[i].value)});
        out.body = text(answer.body);
        out.transportError = text(answer.transport_error);
        if (status != TINKO_OK && out.transportError.empty()) out.transportError = "the host sent no reason";
        return out;
    }

    // Opens a TCP connection to host:port, with TLS from the start when `implicitTls` (e.g. SMTP on
    // 465) or plain for a later startTls() (SMTP on 587). Throws Error(TINKO_ERR_NETWORK) with the
    // host's reason when it cannot connect. timeoutMs 0 = the host's default.
    Stream openStream(std::string_view host, std::uint16_t port, bool implicitTls, std::uint32_t timeoutMs = 0) const {
        tinko_stream* stream = nullptr;
        tinko_str why{nullptr, 0};
        const tinko_status status = services_->stream_open(services_->ctx, tinko_str{host.data(), host.size()}, port,
                                                           implicitTls ? 1 : 0, timeoutMs, &stream, &why);
        if (status != TINKO_OK || !stream)
            throw networkError("cannot connect to " + std::string(host) + ":" + std::to_string(port) + ": " +
                               (why.ptr ? text(why) : std::string("the host sent no reason")));
        return Stream(services_, stream);
    }

private:
    static std::string text(tinko_str s) { return s.ptr ? std::string(s.ptr, s.len) : std::string(); }

    const tinko_host_services* services_;
};

// ---- Plugin base classes ----------------------------------------------------------------------
// One virtual per operation: JSON text in, JSON object text out, or throw sdk::Error. The shapes
// are documented with each operation in abi.h. Operations are called from many threads at once:
// keep your own state thread-safe. Those you do not override answer TINKO_ERR_UNSUPPORTED; the
// conformance checker expects describe and validate_config to be overridden.

class PspPlugin {
public:
    explicit PspPlugin(Host host) : host_(host) {}
    virtual ~PspPlugin() = default;
    PspPlugin(const PspPlugin&) = delete;
    PspPlugin& operator=(const PspPlugin&) = delete;

    virtual std::string describe(const std::string&) { throw unsupported("describe"); }
    virtual std::string validateConfig(const std::string&) { throw unsupported("validate_config"); }
    virtual std::string classify(const std::string&) { throw unsupported("classify"); }
    virtual std::string createCheckout(const std::string&) { throw unsupported("create_checkout"); }
    virtual std::string retryCharge(const std::string&) { throw unsupported("retry_charge"); }
    virtual std::string verifyWebhook(const std::string&) { throw unsupported("verify_webhook"); }
    virtual std::string parseWebhook(const std::string&) { throw unsupported("parse_webhook"); }
    virtual std::string completeCheckout(const std::string&) { throw unsupported("complete_checkout"); }

    const Host& host() const { return host_; }

private:
    Host host_;
};

class ChannelPlugin {
public:
    explicit ChannelPlugin(Host host) : host_(host) {}
    virtual ~ChannelPlugin() = default;
    ChannelPlugin(const ChannelPlugin&) = delete;
    ChannelPlugin& operator=(const ChannelPlugin&) = delete;

    virtual std::string describe(const std::string&) { throw unsupported("describe"); }
    virtual std::string validateConfig(const std::string&) { throw unsupported("validate_config"); }
    virtual std::string send(const std::string&) { throw unsupported("send"); }
    virtual std::string parseCallback(const std::string&) { throw unsupported("parse_callback"); }

    const Host& host() const { return host_; }

private:
    Host host_;
};

// ---- The boundary (used by the export macros) -------------------------------------------------

namespace detail {

inline tinko_str view(const std::string& s) { return tinko_str{s.data(), s.size()}; }

inline void reportError(const tinko_host_services* services, tinko_result* result, tinko_error_category category,
                        bool retryable, std::string_view providerCode, std::string_view message) {
    tinko_error error{};
    error.struct_size = sizeof error;
    error.category = static_cast<std::uint32_t>(category);
    error.retryable = retryable ? 1 : 0;
    error.provider_code = {providerCode.data(), providerCode.size()};
    error.message = {message.data(), message.size()};
    services->result_set_error(result, &error);
}

// Runs `body`; turns whatever it throws into an error on `result`. The host's setters copy, so
// the exception's strings need to live only until they return.
template <class Body>
tinko_status barrier(const tinko_host_services* services, tinko_result* result, Body&& body) {
    try {
        body();
        return TINKO_OK;
    } catch (const Error& e) {
        reportError(services, result, e.category(), e.retryable(), e.providerCode(), e.what());
    } catch (const std::exception& e) {
        reportError(services, result, TINKO_ERR_INTERNAL, false, {}, e.what());
    } catch (...) {
        reportError(services, result, TINKO_ERR_INTERNAL, false, {}, "the plugin threw something that is not a std::exception");
    }
    return TINKO_ERROR;
}

// The handle the host holds is the base-class pointer, so operations need not know the plugin's class.
template <class Base>
tinko_instance* toHandle(Base* plugin) { return reinterpret_cast<tinko_instance*>(plugin); }
template <class Base>
Base* fromHandle(tinko_instance* handle) { return reinterpret_cast<Base*>(handle); }

inline bool servicesUsable(const tinko_host_services* services) {
    // Every service this SDK uses is ABI 1.0's: a host of any 1.x has them.
    return TINKO_HAS_FIELD(services, tinko_host_services, random_bytes) && services->result_set_json &&
           services->result_set_error;
}

template <class Plugin, class Base>
tinko_status create(const tinko_host_services* services, tinko_instance** instance, tinko_result* result) {
    static_assert(std::is_base_of_v<Base, Plugin>, "the plugin class must derive from the SDK base of its kind");
    if (instance) *instance = nullptr;
    if (!servicesUsable(services) || !instance) return TINKO_ERROR;   // nowhere to say why
    return barrier(services, result, [&] { *instance = toHandle<Base>(new Plugin(Host(services))); });
}

template <class Base>
void destroy(tinko_instance* instance) {
    Base* plugin = fromHandle<Base>(instance);
    if (!plugin) return;
    const Host host = plugin->host();
    try {
        delete plugin;
    } catch (const std::exception& e) {   // only a destructor declared noexcept(false) gets here
        host.error(std::string("destroying the instance threw: ") + e.what());
    } catch (...) {
        host.error("destroying the instance threw something that is not a std::exception");
    }
}

template <class Base>
using Method = std::string (Base::*)(const std::string&);

// One operation: copy the request, call the virtual, check the answer is a JSON object, hand it over.
template <class Base>
tinko_status invoke(tinko_instance* self, tinko_str request, tinko_result* result, Method<Base> method,
                    const char* operation) {
    Base* plugin = fromHandle<Base>(self);
    if (!plugin) return TINKO_ERROR;   // nowhere to say why; the host reports a failure without reason
    const tinko_host_services* services = plugin->host().services();
    return barrier(services, result, [&] {
        const std::string answer = (plugin->*method)(request.ptr ? std::string(request.ptr, request.len) : std::string());
        bool isObject = false;
        try {
            isObject = json::parse(answer).isObject();
        } catch (const json::ParseError&) {
        }
        if (!isObject) throw internalError(std::string(operation) + " answered something that is not a JSON object");
        services->result_set_json(result, view(answer));
    });
}

#define TINKO_SDK_OPERATION_(Base, function, method, name)                                       \
    inline tinko_status function(tinko_instance* self, tinko_str request, tinko_result* result) { \
        return invoke<Base>(self, request, result, &Base::method, name);                          \
    }
TINKO_SDK_OPERATION_(PspPlugin, pspDescribe, describe, "describe")
TINKO_SDK_OPERATION_(PspPlugin, pspValidateConfig, validateConfig, "validate_config")
TINKO_SDK_OPERATION_(PspPlugin, pspClassify, classify, "classify")
TINKO_SDK_OPERATION_(PspPlugin, pspCreateCheckout, createCheckout, "create_checkout")
TINKO_SDK_OPERATION_(PspPlugin, pspRetryCharge, retryCharge, "retry_charge")
TINKO_SDK_OPERATION_(PspPlugin, pspVerifyWebhook, verifyWebhook, "verify_webhook")
TINKO_SDK_OPERATION_(PspPlugin, pspParseWebhook, parseWebhook, "parse_webhook")
TINKO_SDK_OPERATION_(PspPlugin, pspCompleteCheckout, completeCheckout, "complete_checkout")
TINKO_SDK_OPERATION_(ChannelPlugin, channelDescribe, describe, "describe")
TINKO_SDK_OPERATION_(ChannelPlugin, channelValidateConfig, validateConfig, "validate_config")
TINKO_SDK_OPERATION_(ChannelPlugin, channelSend, send, "send")
TINKO_SDK_OPERATION_(ChannelPlugin, channelParseCallback, parseCallback, "parse_callback")
#undef TINKO_SDK_OPERATION_

constexpr tinko_psp_operations pspOperations() {
    return {sizeof(tinko_psp_operations), pspDescribe,       pspValidateConfig, pspClassify,
            pspCreateCheckout,            pspRetryCharge,    pspVerifyWebhook,  pspParseWebhook,
            pspCompleteCheckout};
}
constexpr tinko_channel_operations channelOperations() {
    return {sizeof(tinko_channel_operations), channelDescribe, channelValidateConfig, channelSend, channelParseCallback};
}

}  // namespace detail
}  // namespace tinko::sdk

// ---- Export macros ----------------------------------------------------------------------------
// Use exactly one, once, at namespace scope in one .cpp file of the plugin. `name` must match
// [a-z0-9][a-z0-9-]{1,39}; `version` is a semantic version; `capabilitiesJson` a JSON array of
// strings; `configSchemaJson` a JSON Schema of an object (list the keys validate_config requires
// under "required"). All four are string literals (give a raw string a delimiter when the JSON
// contains `)"`: R"x(...)x"). The objects they define have internal linkage (see the note on
// unloading at the top of this file).

#define TINKO_SDK_DEFINE_PLUGIN_(Class, Base, kindValue, name, version, capabilitiesJson, configSchemaJson, psp,  \
                                 channel)                                                                         \
    namespace {                                                                                                   \
    const tinko_plugin_descriptor tinko_sdk_descriptor_ = {                                                       \
        sizeof(tinko_plugin_descriptor), TINKO_ABI_MAJOR, TINKO_ABI_MINOR, kindValue, name, version,              \
        capabilitiesJson, configSchemaJson, &::tinko::sdk::detail::create<Class, Base>,                           \
        &::tinko::sdk::detail::destroy<Base>, psp, channel};                                                     \
    }                                                                                                             \
    extern "C" TINKO_EXPORT const tinko_plugin_descriptor* tinko_plugin_entry(void) { return &tinko_sdk_descriptor_; }

#define TINKO_PSP_PLUGIN(Class, name, version, capabilitiesJson, configSchemaJson)                                \
    namespace {                                                                                                   \
    const tinko_psp_operations tinko_sdk_psp_operations_ = ::tinko::sdk::detail::pspOperations();                \
    }                                                                                                             \
    TINKO_SDK_DEFINE_PLUGIN_(Class, ::tinko::sdk::PspPlugin, TINKO_KIND_PSP, name, version, capabilitiesJson,     \
                             configSchemaJson, &tinko_sdk_psp_operations_, nullptr)

#define TINKO_CHANNEL_PLUGIN(Class, name, version, capabilitiesJson, configSchemaJson)                            \
    namespace {                                                                                                   \
    const tinko_channel_operations tinko_sdk_channel_operations_ = ::tinko::sdk::detail::channelOperations();    \
    }                                                                                                             \
    TINKO_SDK_DEFINE_PLUGIN_(Class, ::tinko::sdk::ChannelPlugin, TINKO_KIND_CHANNEL, name, version,               \
                             capabilitiesJson, configSchemaJson, nullptr, &tinko_sdk_channel_operations_)
