#pragma once
// tinko::testing: a fake host for plugin unit tests, header-only (#include <tinko/testing/FakeHost.hpp>,
// link TinkoSDK::testing).
//
//   FakeHost host;                                   services a plugin can be created with
//   host.queueResponse(ScriptedResponse::json(200, R"({"id":"m1"})"));   what the "provider" answers
//   PluginUnderTest plugin(tinko_plugin_entry(), host);                  create() through the ABI
//   Answer a = plugin.call("send", request);         {ok, json, error} as the host would see it
//   host.requests()[0].url, host.logs(), ...         what the plugin did
//
// Everything crosses the same C ABI the real host uses, so a test exercises the plugin's export
// macro, exception barrier and copying, not just its C++ class. The fake never touches a network.
// It is thread-safe, so a test may call one instance from several threads as the host does.
#include "tinko/abi.h"

#include <dlfcn.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tinko::testing {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

// One outbound HTTP request the plugin made.
struct RecordedRequest {
    std::string method;
    std::string url;
    HeaderList headers;
    std::string body;
    std::uint32_t timeoutMs = 0;

    // The first header of that name (compared without regard to case), or "".
    std::string header(std::string_view name) const {
        auto lower = [](std::string_view s) {
            std::string out(s);
            std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
            return out;
        };
        for (const auto& [n, v] : headers)
            if (lower(n) == lower(name)) return v;
        return {};
    }
};

// What the fake "provider" answers to one request.
struct ScriptedResponse {
    int status = 200;
    HeaderList headers;            // give names in lower case, as the real host does
    std::string body;
    std::string transportError;    // set: no answer came (connect, TLS, timeout), status is ignored

    static ScriptedResponse json(int status, std::string body) {
        return {status, {{"content-type", "application/json"}}, std::move(body), {}};
    }
    static ScriptedResponse noAnswer(std::string why) { return {0, {}, {}, std::move(why)}; }
};

// A scripted TCP peer for stream_open; after the plugin is done it also records what happened.
struct ScriptedStream {
    std::string openError;             // set: stream_open fails with this reason
    std::deque<std::string> replies;   // what the peer sends, in order; reads end with "closed" after the last
    std::string startTlsError;         // set: stream_start_tls fails with this reason

    // Recorded:
    std::string host;
    std::uint16_t port = 0;
    bool tlsFromStart = false;
    std::string tlsServerName;         // set by a successful stream_start_tls
    std::string written;               // everything the plugin wrote, concatenated
    bool closed = false;
};

struct LogLine {
    std::uint32_t level = TINKO_LOG_INFO;   // a tinko_log_level
    std::string message;
};

struct PluginError {
    tinko_error_category category = TINKO_ERR_INTERNAL;
    bool retryable = false;
    std::string providerCode;
    std::string message;
};

// What one create() or operation answered, as the host sees it.
struct Answer {
    bool ok = false;           // the status was TINKO_OK
    std::string json;          // what result_set_json received
    PluginError error;         // what result_set_error received
    bool jsonSet = false;      // a well-behaved plugin sets exactly one of these two,
    bool errorSet = false;     // json when ok, an error when not
};

class FakeHost {
public:
    FakeHost() {
        services_.struct_size = sizeof services_;
        services_.ctx = this;
        services_.result_set_json = &FakeHost::setJson;
        services_.result_set_error = &FakeHost::setError;
        services_.http_request = &FakeHost::httpRequest;
        services_.http_response_free = &FakeHost::httpResponseFree;
        services_.stream_open = &FakeHost::streamOpen;
        services_.stream_write = &FakeHost::streamWrite;
        services_.stream_read = &FakeHost::streamRead;
        services_.stream_start_tls = &FakeHost::streamStartTls;
        services_.stream_error = &FakeHost::streamError;
        services_.stream_close = &FakeHost::streamClose;
        services_.log = &FakeHost::logLine;
        services_.now_unix_ms = &FakeHost::now;
        services_.random_bytes = &FakeHost::random;
    }
    FakeHost(const FakeHost&) = delete;
    FakeHost& operator=(const FakeHost&) = delete;

    const tinko_host_services* services() const { return &services_; }

    // HTTP: a handler, when set, answers every request; otherwise queued responses answer in order;
    // with neither, a request gets a transport error saying the script ran out.
    void queueResponse(ScriptedResponse response) {
        std::lock_guard<std::mutex> lock(mutex_);
        responses_.push_back(std::move(response));
    }
    void setHttpHandler(std::function<ScriptedResponse(const RecordedRequest&)> handler) {
        std::lock_guard<std::mutex> lock(mutex_);
        handler_ = std::move(handler);
    }
    std::vector<RecordedRequest> requests() const { return locked(requests_); }
    // Responses handed to the plugin and not yet released with http_response_free (should be 0).
    std::size_t unreleasedResponses() const { return locked(unreleased_); }

    // Streams: each stream_open takes the next scripted peer (none left: the open fails).
    void queueStream(ScriptedStream stream) {
        std::lock_guard<std::mutex> lock(mutex_);
        pendingStreams_.push_back(std::move(stream));
    }
    // Every stream the plugin opened or tried to open, in order, as it is now.
    std::vector<ScriptedStream> streams() const {
        std::lock_guard<std::mutex> lock(mutex_);
        std::vector<ScriptedStream> out;
        for (const auto& s : openedStreams_) out.push_back(s->script);
        return out;
    }

    std::vector<LogLine> logs() const { return locked(logs_); }
    bool logged(std::string_view fragment) const {
        for (const LogLine& line : logs())
            if (line.message.find(fragment) != std::string::npos) return true;
        return false;
    }

    // Clock: starts at 2026-01-01T00:00:00Z and moves only when told.
    void setNowUnixMs(std::int64_t ms) {
        std::lock_guard<std::mutex> lock(mutex_);
        nowMs_ = ms;
    }
    void advanceMs(std::int64_t ms) {
        std::lock_guard<std::mutex> lock(mutex_);
        nowMs_ += ms;
    }

    // Randomness: a deterministic sequence from `seed` (splitmix64), or a failure when told.
    void setRandomSeed(std::uint64_t seed) {
        std::lock_guard<std::mutex> lock(mutex_);
        randomState_ = seed;
    }
    void failRandomBytes(bool fail) {
        std::lock_guard<std::mutex> lock(mutex_);
        failRandom_ = fail;
    }

private:
    struct StreamState {
        FakeHost* owner;
        ScriptedStream script;
        std::string lastError;
    };
    struct HeldResponse {
        std::vector<tinko_header> headers;
        ScriptedResponse source;
    };

    template <class T>
    T locked(const T& member) const {
        std::lock_guard<std::mutex> lock(mutex_);
        return member;
    }
    static FakeHost& self(void* ctx) { return *static_cast<FakeHost*>(ctx); }
    static constexpr std::string_view kShortRequest =
        "FakeHost: the plugin's tinko_http_request has a struct_size smaller than ABI 1.0's; nothing was sent";
    static std::string text(tinko_str s) { return s.ptr ? std::string(s.ptr, s.len) : std::string(); }
    static tinko_str view(const std::string& s) { return tinko_str{s.data(), s.size()}; }

    // The opaque tinko_result is, for this fake, an Answer (see PluginUnderTest).
    static void setJson(tinko_result* result, tinko_str json) {
        auto* answer = reinterpret_cast<Answer*>(result);
        answer->json = text(json);
        answer->jsonSet = true;
    }
    // The fake keeps abi.h's struct_size rule as strictly as the real host: a struct shorter than
    // ABI 1.0's is refused, not read, and only the fields the plugin's struct_size covers are written.
    static void setError(tinko_result* result, const tinko_error* error) {
        auto* answer = reinterpret_cast<Answer*>(result);
        answer->errorSet = true;
        if (!TINKO_HAS_FIELD(error, tinko_error, message)) {
            answer->error = {TINKO_ERR_INTERNAL, false, "",
                             "FakeHost: the plugin reported an error in a tinko_error of struct_size " +
                                 std::to_string(error ? error->struct_size : 0) + ", smaller than ABI 1.0's; set struct_size = sizeof(tinko_error)"};
            return;
        }
        answer->error = {static_cast<tinko_error_category>(error->category), error->retryable != 0,
                         text(error->provider_code), text(error->message)};
        answer->errorSet = true;
    }

    static tinko_status httpRequest(void* ctx, const tinko_http_request* request, tinko_http_response* response) {
        FakeHost& host = self(ctx);
        // 0: left to the host, as ABI 1.0 allowed; filled as 1.0's struct, like the real host does.
        if (response && response->struct_size == 0) response->struct_size = TINKO_SIZE_THROUGH(tinko_http_response, host_data);
        // Nowhere to answer: the real host sends nothing and writes nothing either.
        if (!TINKO_HAS_FIELD(response, tinko_http_response, host_data)) return TINKO_ERROR;
        if (!TINKO_HAS_FIELD(request, tinko_http_request, timeout_ms)) {
            response->status = 0;
            response->headers = nullptr;
            response->header_count = 0;
            response->body = tinko_str{nullptr, 0};
            response->transport_error = tinko_str{kShortRequest.data(), kShortRequest.size()};
            response->host_data = nullptr;
            return TINKO_ERROR;
        }
        RecordedRequest recorded{text(request->method), text(request->url), {}, text(request->body), request->timeout_ms};
        for (std::size_t i = 0; i < request->header_count; ++i)
            recorded.headers.emplace_back(text(request->headers[i].name), text(request->headers[i].value));

        std::function<ScriptedResponse(const RecordedRequest&)> handler;
        auto held = std::make_unique<HeldResponse>();
        {
            std::lock_guard<std::mutex> lock(host.mutex_);
            host.requests_.push_back(recorded);
            handler = host.handler_;
            if (!handler) {
                if (host.responses_.empty()) {
                    held->source = ScriptedResponse::noAnswer("FakeHost: no scripted response left for " + recorded.method +
                                                              " " + recorded.url);
                } else {
                    held->source = std::move(host.responses_.front());
                    host.responses_.pop_front();
                }
            }
        }
        if (handler) held->source = handler(recorded);   // outside the lock: it may call back into the fake

        const ScriptedResponse& source = held->source;
        for (const auto& [name, value] : source.headers) held->headers.push_back({view(name), view(value)});
        const bool answered = source.transportError.empty();
        response->status = answered ? source.status : 0;
        response->headers = held->headers.data();
        response->header_count = held->headers.size();
        response->body = view(source.body);
        response->transport_error = view(source.transportError);
        response->host_data = held.release();
        std::lock_guard<std::mutex> lock(host.mutex_);
        ++host.unreleased_;
        return answered ? TINKO_OK : TINKO_ERROR;
    }
    static void httpResponseFree(void* ctx, tinko_http_response* response) {
        if (!TINKO_HAS_FIELD(response, tinko_http_response, host_data) || !response->host_data) return;
        delete static_cast<HeldResponse*>(response->host_data);
        response->host_data = nullptr;
        FakeHost& host = self(ctx);
        std::lock_guard<std::mutex> lock(host.mutex_);
        --host.unreleased_;
    }

    static tinko_status streamOpen(void* ctx, tinko_str hostName, std::uint16_t port, std::uint32_t tlsNow, std::uint32_t,
                                   tinko_stream** stream, tinko_str* error) {
        FakeHost& host = self(ctx);
        std::lock_guard<std::mutex> lock(host.mutex_);
        *stream = nullptr;
        auto state = std::make_unique<StreamState>();
        state->owner = &host;
        if (host.pendingStreams_.empty()) {
            state->script.openError = "FakeHost: no scripted stream left";
        } else {
            state->script = std::move(host.pendingStreams_.front());
            host.pendingStreams_.pop_front();
        }
        state->script.host = text(hostName);
        state->script.port = port;
        state->script.tlsFromStart = tlsNow != 0;
        StreamState* raw = state.get();
        host.openedStreams_.push_back(std::move(state));
        if (!raw->script.openError.empty()) {
            raw->script.closed = true;
            host.lastOpenError_ = raw->script.openError;
            *error = view(host.lastOpenError_);
            return TINKO_ERROR;
        }
        *stream = reinterpret_cast<tinko_stream*>(raw);
        return TINKO_OK;
    }
    static StreamState& state(tinko_stream* stream) { return *reinterpret_cast<StreamState*>(stream); }
    static tinko_status streamFailure(StreamState& s, std::string why) {
        s.lastError = std::move(why);
        return TINKO_ERROR;
    }
    static tinko_status streamWrite(tinko_stream* stream, tinko_str data) {
        StreamState& s = state(stream);
        std::lock_guard<std::mutex> lock(s.owner->mutex_);
        if (s.script.closed) return streamFailure(s, "write on a closed stream");
        s.script.written += text(data);
        return TINKO_OK;
    }
    static tinko_status streamRead(tinko_stream* stream, char* buffer, std::size_t capacity, std::size_t* received) {
        StreamState& s = state(stream);
        std::lock_guard<std::mutex> lock(s.owner->mutex_);
        *received = 0;
        if (s.script.replies.empty() || capacity == 0) return streamFailure(s, "connection closed by the peer");
        std::string& next = s.script.replies.front();
        *received = std::min(capacity, next.size());
        std::copy_n(next.data(), *received, buffer);
        next.erase(0, *received);
        if (next.empty()) s.script.replies.pop_front();
        return TINKO_OK;
    }
    static tinko_status streamStartTls(tinko_stream* stream, tinko_str serverName) {
        StreamState& s = state(stream);
        std::lock_guard<std::mutex> lock(s.owner->mutex_);
        if (!s.script.startTlsError.empty()) return streamFailure(s, s.script.startTlsError);
        s.script.tlsServerName = text(serverName);
        return TINKO_OK;
    }
    static tinko_str streamError(tinko_stream* stream) { return view(state(stream).lastError); }
    static void streamClose(tinko_stream* stream) {
        StreamState& s = state(stream);
        std::lock_guard<std::mutex> lock(s.owner->mutex_);
        s.script.closed = true;   // kept, so the test can read what was written
    }

    static void logLine(void* ctx, std::uint32_t level, tinko_str message) {
        FakeHost& host = self(ctx);
        std::lock_guard<std::mutex> lock(host.mutex_);
        host.logs_.push_back({level, text(message)});
    }
    static std::int64_t now(void* ctx) {
        FakeHost& host = self(ctx);
        std::lock_guard<std::mutex> lock(host.mutex_);
        return host.nowMs_;
    }
    static tinko_status random(void* ctx, std::uint8_t* out, std::size_t length) {
        FakeHost& host = self(ctx);
        std::lock_guard<std::mutex> lock(host.mutex_);
        if (host.failRandom_) return TINKO_ERROR;
        for (std::size_t i = 0; i < length; ++i) {
            if (i % 8 == 0) {   // splitmix64: deterministic, well spread
                std::uint64_t z = (host.randomState_ += 0x9E3779B97F4A7C15ull);
                z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
                z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
                host.randomBlock_ = z ^ (z >> 31);
            }
            out[i] = static_cast<std::uint8_t>(host.randomBlock_ >> (8 * (i % 8)));
        }
        return TINKO_OK;
    }

    tinko_host_services services_{};
    mutable std::mutex mutex_;
    std::deque<ScriptedResponse> responses_;
    std::function<ScriptedResponse(const RecordedRequest&)> handler_;
    std::vector<RecordedRequest> requests_;
    std::size_t unreleased_ = 0;
    std::deque<ScriptedStream> pendingStreams_;
    std::vector<std::unique_ptr<StreamState>> openedStreams_;   // kept until the fake goes
    std::string lastOpenError_;
    std::vector<LogLine> logs_;
    std::int64_t nowMs_ = 1767225600000;   // 2026-01-01T00:00:00Z
    std::uint64_t randomState_ = 1;
    std::uint64_t randomBlock_ = 0;
    bool failRandom_ = false;
};

// One instance of a plugin, created through its descriptor with a FakeHost's services and
// destroyed when this object goes. Operations are called by their ABI names ("classify", "send").
class PluginUnderTest {
public:
    PluginUnderTest(const tinko_plugin_descriptor* descriptor, FakeHost& host) : descriptor_(descriptor) {
        if (!descriptor_) throw std::invalid_argument("PluginUnderTest: no descriptor");
        const tinko_status status = descriptor_->create(host.services(), &instance_, result(createAnswer_));
        createAnswer_.ok = status == TINKO_OK && instance_ != nullptr;
    }
    ~PluginUnderTest() {
        if (instance_) descriptor_->destroy(instance_);
    }
    PluginUnderTest(const PluginUnderTest&) = delete;
    PluginUnderTest& operator=(const PluginUnderTest&) = delete;

    bool created() const { return createAnswer_.ok; }
    // What create() answered: ok, or the error it set.
    const Answer& createAnswer() const { return createAnswer_; }

    // Calls `operation` with `requestJson`. An operation the kind has not got is a mistake in the
    // test (std::invalid_argument); one the plugin left NULL answers TINKO_ERR_UNSUPPORTED.
    Answer call(std::string_view operation, std::string_view requestJson) const {
        if (!instance_) throw std::logic_error("PluginUnderTest: the plugin was not created: " + createAnswer_.error.message);
        Answer answer;
        const tinko_operation fn = find(operation);
        if (!fn) {
            answer.error = {TINKO_ERR_UNSUPPORTED, false, "", "the plugin leaves " + std::string(operation) + " NULL"};
            return answer;
        }
        answer.ok = fn(instance_, tinko_str{requestJson.data(), requestJson.size()}, result(answer)) == TINKO_OK;
        return answer;
    }

    const tinko_plugin_descriptor& descriptor() const { return *descriptor_; }

private:
    static tinko_result* result(Answer& answer) { return reinterpret_cast<tinko_result*>(&answer); }

    // Added in ABI 1.1: a 1.0 plugin's table ends before it.
    tinko_operation completeCheckout() const {
        const tinko_psp_operations* ops = descriptor_->psp;
        return TINKO_HAS_FIELD(ops, tinko_psp_operations, complete_checkout) ? ops->complete_checkout : nullptr;
    }

    tinko_operation find(std::string_view name) const {
        const std::pair<std::string_view, tinko_operation> psp[] = {
            {"describe", descriptor_->psp ? descriptor_->psp->describe : nullptr},
            {"validate_config", descriptor_->psp ? descriptor_->psp->validate_config : nullptr},
            {"classify", descriptor_->psp ? descriptor_->psp->classify : nullptr},
            {"create_checkout", descriptor_->psp ? descriptor_->psp->create_checkout : nullptr},
            {"retry_charge", descriptor_->psp ? descriptor_->psp->retry_charge : nullptr},
            {"verify_webhook", descriptor_->psp ? descriptor_->psp->verify_webhook : nullptr},
            {"parse_webhook", descriptor_->psp ? descriptor_->psp->parse_webhook : nullptr},
            {"complete_checkout", completeCheckout()}};
        const std::pair<std::string_view, tinko_operation> channel[] = {
            {"describe", descriptor_->channel ? descriptor_->channel->describe : nullptr},
            {"validate_config", descriptor_->channel ? descriptor_->channel->validate_config : nullptr},
            {"send", descriptor_->channel ? descriptor_->channel->send : nullptr},
            {"parse_callback", descriptor_->channel ? descriptor_->channel->parse_callback : nullptr}};
        if (descriptor_->kind == TINKO_KIND_PSP) {
            for (const auto& [n, fn] : psp)
                if (n == name) return fn;
        } else {
            for (const auto& [n, fn] : channel)
                if (n == name) return fn;
        }
        throw std::invalid_argument("a plugin of this kind has no operation '" + std::string(name) + "'");
    }

    const tinko_plugin_descriptor* descriptor_;
    tinko_instance* instance_ = nullptr;
    Answer createAnswer_;
};

// A built plugin file, opened the way the host opens it (RTLD_NOW | RTLD_LOCAL), for tests that
// load the .so rather than compile the plugin's sources in. Closed when this object goes.
class PluginFile {
public:
    explicit PluginFile(const std::string& path) {
        handle_ = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
        if (!handle_) throw std::runtime_error("cannot open " + path + ": " + dlerror());
        auto entry = reinterpret_cast<tinko_plugin_entry_fn>(dlsym(handle_, "tinko_plugin_entry"));
        if (!entry) {
            dlclose(handle_);
            throw std::runtime_error(path + " does not export tinko_plugin_entry");
        }
        descriptor_ = entry();
    }
    ~PluginFile() { dlclose(handle_); }
    PluginFile(const PluginFile&) = delete;
    PluginFile& operator=(const PluginFile&) = delete;

    const tinko_plugin_descriptor* descriptor() const { return descriptor_; }

private:
    void* handle_ = nullptr;
    const tinko_plugin_descriptor* descriptor_ = nullptr;
};

}  // namespace tinko::testing
