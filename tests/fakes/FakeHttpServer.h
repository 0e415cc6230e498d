#pragma once
// The HTTP side every fake provider shares: a POCO server on 127.0.0.1 (a free port) that reads
// each request into a FakeHttpRequest, asks the fake's handler for the answer, holds it back when
// the handler says so, and sends it. The fake keeps its state, its checks and its record of the
// requests; this keeps the sockets and threads.
#include "FakeHttpRequest.h"
#include "tinko/json.hpp"

#include <Poco/Net/HTTPServer.h>
#include <Poco/ThreadPool.h>

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace tinko::fakes {

// What goes back over HTTP.
struct FakeHttpAnswer {
    int status = 200;
    std::string contentType = "application/json";
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
};

inline FakeHttpAnswer jsonAnswer(int status, const json::Value& body) { return {status, "application/json", {}, body.dump()}; }
// A small HTML page: <title> and <h1> `title` (escaped), then `content` as it is.
FakeHttpAnswer htmlAnswer(int status, const std::string& title, const std::string& content);

class FakeHttpServer {
public:
    // Answers one request, on one of the server's threads; may set `delay` to have the answer held
    // back that long (a client that times out meanwhile never learns what happened).
    using Handler = std::function<FakeHttpAnswer(const FakeHttpRequest& request, std::chrono::milliseconds& delay)>;

    explicit FakeHttpServer(Handler handler);
    ~FakeHttpServer();   // stops
    FakeHttpServer(const FakeHttpServer&) = delete;
    FakeHttpServer& operator=(const FakeHttpServer&) = delete;

    void start();   // listens on 127.0.0.1, a free port; does nothing when running
    void stop();    // idempotent; wakes held answers first, so stopping never waits them out

    std::string baseUrl() const { return baseUrl_; }   // http://127.0.0.1:<port>
    int port() const { return port_; }

private:
    class RequestHandler;          // POCO's side, in FakeHttpServer.cpp
    class RequestHandlerFactory;

    void hold(std::chrono::milliseconds delay);   // waits `delay`, or less when stopping

    const Handler handler_;
    std::string baseUrl_;
    int port_ = 0;

    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;

    Poco::ThreadPool threads_{2, 16};
    std::unique_ptr<Poco::Net::HTTPServer> server_;   // after threads_: it goes first
};

}  // namespace tinko::fakes
