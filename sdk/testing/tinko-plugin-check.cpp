// tinko-plugin-check FILE.so: the contract every Tinko plugin must meet, checked by loading the
// file exactly as tinko-host does (staged to a content-addressed copy, dlopen RTLD_NOW|RTLD_LOCAL,
// the host's descriptor check, create() with a services table) and calling it.
//
// Each case runs in a forked child, so a plugin that crashes or hangs is reported as such
// ("crashed with signal 11") instead of taking the checker down; every child loads the plugin
// afresh, so no case sees what another left behind. The services answer every network and stream
// call with a transport error: the checker has no network, and the contract is about how a plugin
// treats its input, not what a provider says.
//
// Output: one line per case, "PASS <case>" or "FAIL <case>: <reason>", then a summary.
// Exit status: 0 when every case passed, 1 when any failed or could not run, 2 on a usage error.
#include "plugins/PluginContract.h"
#include "plugins/PluginDescriptor.h"
#include "plugins/PluginInstance.h"
#include "plugins/PluginLibrary.h"
#include "tinko/json.hpp"

#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <functional>
#include <iostream>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

namespace {

using namespace tinko::plugins;
using tinko::json::Value;

constexpr const char* kNoNetwork = "the conformance checker has no network";
int caseTimeoutSeconds = 10;   // --timeout

// ---- The services a checked plugin gets ---------------------------------------------------------

tinko_str literal(const char* s) { return tinko_str{s, std::strlen(s)}; }

tinko_status noHttp(void*, const tinko_http_request*, tinko_http_response* response) {
    // The plugin allocated the response: as the host, write only what its struct_size covers (0:
    // left to the host, as ABI 1.0 allowed, so 1.0's fields).
    if (response && response->struct_size == 0) response->struct_size = TINKO_SIZE_THROUGH(tinko_http_response, host_data);
    if (!TINKO_HAS_FIELD(response, tinko_http_response, host_data)) return TINKO_ERROR;
    response->status = 0;
    response->headers = nullptr;
    response->header_count = 0;
    response->body = tinko_str{nullptr, 0};
    response->transport_error = literal(kNoNetwork);
    response->host_data = nullptr;
    return TINKO_ERROR;
}
void freeNothing(void*, tinko_http_response*) {}
tinko_status noStream(void*, tinko_str, uint16_t, uint32_t, uint32_t, tinko_stream** stream, tinko_str* error) {
    *stream = nullptr;
    *error = literal(kNoNetwork);
    return TINKO_ERROR;
}
// No stream is ever opened, so these only answer a plugin that passes a pointer it made up.
tinko_status streamRefused(tinko_stream*, tinko_str) { return TINKO_ERROR; }
tinko_status readRefused(tinko_stream*, char*, size_t, size_t* received) {
    *received = 0;
    return TINKO_ERROR;
}
tinko_str streamWhy(tinko_stream*) { return literal(kNoNetwork); }
void closeNothing(tinko_stream*) {}

void logToStderr(void* ctx, uint32_t level, tinko_str message) {
    if (!*static_cast<bool*>(ctx)) return;
    const char* names[] = {"debug", "info", "warn", "error"};
    std::cerr << "  plugin log (" << (level < 4 ? names[level] : "?") << "): "
              << std::string(message.ptr ? message.ptr : "", message.ptr ? message.len : 0) << std::endl;
}
int64_t wallClock(void*) {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}
tinko_status randomBytes(void*, uint8_t* out, size_t length) {
    std::random_device device;
    for (size_t i = 0; i < length; ++i) out[i] = static_cast<uint8_t>(device());
    return TINKO_OK;
}

tinko_host_services checkerServices(bool* verbose) {
    tinko_host_services s{};
    s.struct_size = sizeof s;
    s.ctx = verbose;
    installResultSetters(s);
    s.http_request = noHttp;
    s.http_response_free = freeNothing;
    s.stream_open = noStream;
    s.stream_write = streamRefused;
    s.stream_read = readRefused;
    s.stream_start_tls = streamRefused;
    s.stream_error = streamWhy;
    s.stream_close = closeNothing;
    s.log = logToStderr;
    s.now_unix_ms = wallClock;
    s.random_bytes = randomBytes;
    return s;
}

// ---- Running one case in a child process ------------------------------------------------------
// The child writes tagged lines to a pipe: "~note" (what it is doing, for a crash report),
// "+facts" (JSON the parent needs for later cases) and "=reason" (the verdict; empty = passed).

class Report {
public:
    explicit Report(int fd) : fd_(fd) {}
    void note(const std::string& what) { line('~', what); }
    void facts(const Value& facts) { line('+', facts.dump()); }
    void verdict(const std::string& reason) { line('=', reason); }

private:
    void line(char tag, std::string text) {
        for (char& c : text)
            if (c == '\n') c = ' ';
        text = tag + text + '\n';
        for (size_t done = 0; done < text.size();) {
            const ssize_t n = ::write(fd_, text.data() + done, text.size() - done);
            if (n <= 0) return;
            done += static_cast<size_t>(n);
        }
    }
    int fd_;
};

struct Outcome {
    bool passed = false;
    std::string reason;
    std::optional<Value> facts;
};

// Runs `body` (returns "" when the case passed, else why not) in a forked child.
Outcome isolated(const std::function<std::string(Report&)>& body) {
    int fds[2];
    if (pipe(fds) != 0) return {false, std::string("cannot create a pipe: ") + std::strerror(errno), {}};
    std::cout.flush();
    std::cerr.flush();
    const pid_t pid = fork();
    if (pid < 0) return {false, std::string("cannot fork: ") + std::strerror(errno), {}};
    if (pid == 0) {
        close(fds[0]);
        dup2(STDERR_FILENO, STDOUT_FILENO);   // whatever the plugin prints stays out of the PASS/FAIL lines
        Report report(fds[1]);
        std::string reason;
        try {
            reason = body(report);
        } catch (const std::exception& e) {
            reason = std::string("the checker caught an exception: ") + e.what();
        }
        report.verdict(reason);
        std::cerr.flush();
        _exit(0);   // no static destructors or atexit handlers: they belong to the parent
    }
    close(fds[1]);

    std::string received;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(caseTimeoutSeconds);
    bool timedOut = false;
    for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        pollfd p{fds[0], POLLIN, 0};
        if (left.count() <= 0 || poll(&p, 1, static_cast<int>(left.count())) == 0) {
            timedOut = true;
            kill(pid, SIGKILL);
            break;
        }
        char buffer[4096];
        const ssize_t n = read(fds[0], buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        received.append(buffer, static_cast<size_t>(n));
    }
    close(fds[0]);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }

    Outcome outcome;
    std::string lastNote;
    bool haveVerdict = false;
    size_t start = 0;
    for (size_t end; (end = received.find('\n', start)) != std::string::npos; start = end + 1) {
        const char tag = received[start];
        const std::string text = received.substr(start + 1, end - start - 1);
        if (tag == '~') lastNote = text;
        if (tag == '+') outcome.facts = tinko::json::parse(text);
        if (tag == '=') {
            haveVerdict = true;
            outcome.reason = text;
        }
    }
    const std::string during = lastNote.empty() ? "" : " (" + lastNote + ")";
    if (timedOut) {
        outcome.reason = "did not finish within " + std::to_string(caseTimeoutSeconds) + " s" + during;
    } else if (WIFSIGNALED(status)) {
        outcome.reason = "crashed with signal " + std::to_string(WTERMSIG(status)) + " (" + strsignal(WTERMSIG(status)) +
                         ")" + during;
    } else if (!haveVerdict) {
        outcome.reason = "the plugin ended the process (exit status " +
                         std::to_string(WIFEXITED(status) ? WEXITSTATUS(status) : -1) + ")" + during;
    } else {
        outcome.passed = outcome.reason.empty();
    }
    return outcome;
}

// ---- The contract -------------------------------------------------------------------------------
// Its static part (the descriptor, the config schema, the describe answer) is the host's own check,
// plugins/PluginContract.h: what fails here is what tinko-host refuses to load, in the same words.

bool isJsonObject(const std::string& text) {
    try {
        return tinko::json::parse(text).isObject();
    } catch (const tinko::json::ParseError&) {
        return false;
    }
}

std::string shortened(const std::string& text) { return text.size() <= 80 ? text : text.substr(0, 77) + "..."; }

struct MalformedInput {
    const char* label;
    const char* json;
};
const MalformedInput kMalformedInputs[] = {
    {"an empty request", ""},   {"\"not json\"", "not json"}, {"[]", "[]"},
    {"{}", "{}"},               {"{\"config\": 5}", "{\"config\": 5}"}};

std::vector<Operation> operationsOf(uint32_t kind) {
    if (kind == TINKO_KIND_PSP)
        return {Operation::Describe,     Operation::ValidateConfig, Operation::Classify,   Operation::CreateCheckout,
                Operation::RetryCharge,  Operation::VerifyWebhook,  Operation::ParseWebhook};
    return {Operation::Describe, Operation::ValidateConfig, Operation::Send, Operation::ParseCallback};
}

class Checker {
public:
    Checker(StagedFile staged, bool verbose) : staged_(std::move(staged)), verbose_(verbose) {
        services_ = checkerServices(&verbose_);
    }

    // Runs every case; returns the exit status.
    int run() {
        if (!gate("loads", [&](Report&) { return open() ? "" : whyNot_; })) return finish();
        Outcome descriptor = runCase(kDescriptorIsSane, [&](Report& r) { return describeDescriptor(r); });
        if (!descriptor.passed || !descriptor.facts) {   // the rest would read what it refused
            stoppedEarly_ = true;
            return finish();
        }
        const Value facts = *descriptor.facts;

        runCase(kConfigSchemaIsValid, [&](Report&) {
            return open() ? reasonsOf(descriptorContractFailures(library_->descriptor()), kConfigSchemaIsValid) : whyNot_;
        });
        if (!gate("create succeeds", [&](Report&) { return create() ? "" : whyNot_; })) return finish();
        runCase(kDescribeAnswersAnObject, [&](Report& r) { return checkDescribe(r, facts); });
        runCase("validate_config refuses a config without its required keys",
                [&](Report& r) { return checkRequiredKeys(r, facts); });
        for (Operation op : operationsOf(static_cast<uint32_t>(facts.at("kind").asInt())))
            runCase(std::string(operationName(op)) + " answers malformed input with an error",
                    [&](Report& r) { return checkMalformedInput(r, op); });
        if (!gate("destroy succeeds", [&](Report& r) { return createUseDestroy(r); })) return finish();
        runCase("unloads after destroy", [&](Report& r) { return checkUnload(r); });
        return finish();
    }

private:
    Outcome runCase(const std::string& name, const std::function<std::string(Report&)>& body) {
        Outcome outcome = isolated(body);
        if (outcome.passed) {
            ++passed_;
            std::cout << "PASS " << name << "\n";
        } else {
            ++failed_;
            std::cout << "FAIL " << name << ": " << outcome.reason << "\n";
        }
        return outcome;
    }
    // A case the remaining ones need; when it fails they are not run.
    bool gate(const std::string& name, const std::function<std::string(Report&)>& body) {
        if (runCase(name, body).passed) return true;
        stoppedEarly_ = true;
        return false;
    }
    int finish() {
        std::cout << passed_ << " passed, " << failed_ << " failed"
                  << (stoppedEarly_ ? "; the remaining cases were not run, they need the failed one" : "") << std::endl;
        return failed_ == 0 && !stoppedEarly_ ? 0 : 1;
    }

    // In the child: the library opened, or false with whyNot_ set.
    bool open() {
        try {
            library_ = PluginLibrary::open(staged_);
            return true;
        } catch (const std::exception& e) {
            whyNot_ = e.what();
            return false;
        }
    }
    // In the child: an instance created, or false with whyNot_ set.
    bool create() {
        if (!open()) return false;
        try {
            instance_ = std::make_unique<PluginInstance>(library_, &services_);
            return true;
        } catch (const std::exception& e) {
            whyNot_ = e.what();
            return false;
        }
    }

    std::string describeDescriptor(Report& report) {
        if (!open()) return whyNot_;
        const tinko_plugin_descriptor* d = library_->descriptor();
        const std::string problems = reasonsOf(descriptorContractFailures(d), kDescriptorIsSane);
        if (!problems.empty()) return problems;
        Value required = Value::array();
        try {
            const Value schema = tinko::json::parse(d->config_schema);
            if (const Value* r = schema.find("required"); r && r->isArray())
                for (const Value& key : r->asArray())
                    if (key.isString()) required.push(key);
        } catch (const tinko::json::ParseError&) {   // checkDescriptor parsed it already
        }
        report.facts(Value::object({{"kind", d->kind}, {"required", required}}));
        return "";
    }

    // The host's own check (plugins/PluginContract.h), so both say the same.
    std::string checkDescribe(Report& report, const Value& facts) {
        if (!create()) return whyNot_;
        report.note("calling describe with {}");
        const PluginAnswer a = instance_->call(Operation::Describe, "{}");
        return reasonsOf(describeContractFailures(static_cast<uint32_t>(facts.at("kind").asInt()), a), kDescribeAnswersAnObject);
    }

    std::string checkRequiredKeys(Report& report, const Value& facts) {
        const Value& required = facts.at("required");
        if (required.size() == 0) return "";   // nothing is required, so an empty config may be valid
        if (!create()) return whyNot_;
        report.note("calling validate_config with {\"config\":{}}");
        const PluginAnswer a = instance_->call(Operation::ValidateConfig, R"({"config":{}})");
        if (a.ok) return "accepted {\"config\":{}} although the schema requires " + required.dump();
        if (a.error.category != TINKO_ERR_INVALID_CONFIG)
            return std::string("refused it as ") + errorCategoryName(a.error.category) +
                   ", not invalid_config: " + a.error.message;
        for (const Value& key : required.asArray())
            if (a.error.message.find(key.asString()) != std::string::npos) return "";
        return "the message does not name the missing key (one of " + required.dump() + "): " + a.error.message;
    }

    std::string checkMalformedInput(Report& report, Operation op) {
        if (!create()) return whyNot_;
        const std::string name = operationName(op);
        for (const MalformedInput& input : kMalformedInputs) {
            report.note("calling " + name + " with " + input.label);
            const PluginAnswer a = instance_->call(op, input.json);
            if (a.ok && !isJsonObject(a.json))
                return "answered OK to " + std::string(input.label) + " with something that is not a JSON object: " +
                       shortened(a.json);
            if (a.ok && op != Operation::Describe)
                return "answered OK to " + std::string(input.label) + ": " + shortened(a.json);
            if (!a.ok && a.error.category == TINKO_ERR_INTERNAL)
                return "answered " + std::string(input.label) + " with an internal error, which means a bug such as "
                       "an exception escaping the plugin's code (" + a.error.message +
                       "); refuse malformed input with invalid_input or invalid_config";
        }
        return "";
    }

    std::string createUseDestroy(Report& report) {
        if (!create()) return whyNot_;
        report.note("calling describe");
        instance_->call(Operation::Describe, "{}");
        report.note("destroying the instance");
        instance_.reset();
        return "";
    }

    std::string checkUnload(Report& report) {
        if (!create()) return whyNot_;
        instance_->call(Operation::Describe, "{}");
        instance_.reset();
        const long before = residentAfterUnloadCount();
        report.note("closing the library");
        library_.reset();
        if (residentAfterUnloadCount() == before) return "";
        return "the library stayed loaded after dlclose, so every swap would leak it; build with tinko_add_plugin "
               "(hidden visibility, -fno-gnu-unique, only tinko_plugin_entry exported) and avoid statics in inline "
               "functions and thread_local objects with destructors";
    }

    StagedFile staged_;
    bool verbose_;
    tinko_host_services services_{};
    int passed_ = 0;
    int failed_ = 0;
    bool stoppedEarly_ = false;
    // Set only in children:
    std::shared_ptr<PluginLibrary> library_;
    std::unique_ptr<PluginInstance> instance_;
    std::string whyNot_;
};

int usage(std::ostream& out, int status) {
    out << "usage: tinko-plugin-check [--verbose] [--timeout SECONDS] FILE.so\n"
           "Loads a Tinko plugin as tinko-host does and checks the contract every plugin must meet.\n"
           "  --verbose          also print the plugin's log lines (on stderr)\n"
           "  --timeout SECONDS  how long one case may take (default 10)\n"
           "Exit status: 0 all passed, 1 a case failed, 2 usage error.\n";
    return status;
}

}  // namespace

int main(int argc, char** argv) {
    bool verbose = false;
    std::vector<std::string> files;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--help" || arg == "-h") return usage(std::cout, 0);
        if (arg == "--verbose" || arg == "-v") {
            verbose = true;
        } else if (arg == "--timeout" && i + 1 < argc) {
            caseTimeoutSeconds = std::atoi(argv[++i]);
            if (caseTimeoutSeconds <= 0) return usage(std::cerr, 2);
        } else if (!arg.empty() && arg[0] == '-') {
            return usage(std::cerr, 2);
        } else {
            files.push_back(arg);
        }
    }
    if (files.size() != 1) return usage(std::cerr, 2);

    char stagingTemplate[] = "/tmp/tinko-plugin-check.XXXXXX";
    if (!mkdtemp(stagingTemplate)) {
        std::cerr << "tinko-plugin-check: cannot create a staging directory: " << std::strerror(errno) << "\n";
        return 2;
    }
    const std::string stagingDir = stagingTemplate;
    int status = 2;
    try {
        // The host takes absolute paths only; a path given here is relative to where the author stands.
        std::error_code cwdUnknown;
        const std::filesystem::path given = files[0];
        const std::string path = given.is_absolute() ? files[0] : std::filesystem::absolute(given, cwdUnknown).string();
        Checker checker(stagePluginFile(cwdUnknown ? files[0] : path, stagingDir), verbose);
        status = checker.run();
    } catch (const PluginLoadError& e) {
        const std::string why = e.what();
        if (why.rfind("not a loadable shared library", 0) == 0) {
            // A file that is there but is no shared library for this machine fails the first case.
            std::cout << "FAIL loads: " << why << "\n";
            status = 1;
        } else {   // no such file, or not a regular file: a usage error
            std::cerr << "tinko-plugin-check: " << why << "\n";
        }
    }
    std::error_code ignored;
    std::filesystem::remove_all(stagingDir, ignored);
    return status;
}
