#pragma once
// The merchant's receiver of tests/webhook-receiver (Node's http and the standardwebhooks library)
// as a child process: every delivery is verified by the library with the given secrets, and what
// arrived can be read back (GET /received); /control sets what it answers, /verify asks the library
// about any delivery. Needs `npm ci` in tests/webhook-receiver (scripts/install-browser-deps.sh).
#include "TestSupport.h"

#include <Poco/File.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Pipe.h>
#include <Poco/PipeStream.h>
#include <Poco/Process.h>

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace tinko::test {

class WebhookReceiver {
public:
    explicit WebhookReceiver(const std::vector<std::string>& secrets, bool quiet = false) {
        const std::string dir = std::string(TINKO_SOURCE_DIR) + "/tests/webhook-receiver";
        if (!Poco::File(dir + "/node_modules/standardwebhooks").exists())
            throw std::runtime_error("tests/webhook-receiver has no node_modules: run scripts/install-browser-deps.sh");
        std::vector<std::string> args{dir + "/receiver.mjs"};
        for (const auto& s : secrets) {
            args.push_back("--secret");
            args.push_back(s);
        }
        if (quiet) args.push_back("--quiet");
        handle_ = std::make_unique<Poco::ProcessHandle>(Poco::Process::launch("node", args, nullptr, &out_, nullptr));
        Poco::PipeInputStream lines(out_);
        std::string word;
        lines >> word >> port_;
        if (word != "listening" || port_ <= 0) throw std::runtime_error("the webhook receiver did not start");
    }
    ~WebhookReceiver() {
        try {
            Poco::Process::kill(*handle_);
            handle_->wait();
        } catch (...) {
        }
    }

    int port() const { return port_; }
    std::string url(const std::string& path = "/hook") const { return "http://127.0.0.1:" + std::to_string(port_) + path; }

    // Every delivery so far, in arrival order.
    Poco::JSON::Array::Ptr received() const {
        auto r = httpCall(port_, "GET", "/received");
        return Poco::JSON::Parser().parse(r.body).extract<Poco::JSON::Array::Ptr>();
    }
    std::size_t count() const { return received()->size(); }
    void control(const std::string& json) const {
        auto r = httpCall(port_, "POST", "/control", json, {{"Content-Type", "application/json"}});
        if (r.status != 200) throw std::runtime_error("receiver /control: " + r.body);
    }
    // The library's verdict on (body, headers) under `secret`.
    bool verifies(const std::string& secret, const std::string& body, Poco::JSON::Object::Ptr headers) const {
        Poco::JSON::Object q;
        q.set("secret", secret);
        q.set("body", body);
        q.set("headers", headers);
        std::ostringstream text;
        q.stringify(text);
        auto r = httpCall(port_, "POST", "/verify", text.str(), {{"Content-Type", "application/json"}});
        return r.json()->getValue<bool>("verified");
    }

private:
    Poco::Pipe out_;
    std::unique_ptr<Poco::ProcessHandle> handle_;
    int port_ = 0;
};

}  // namespace tinko::test
