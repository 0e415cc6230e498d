#include "FakeHttpServer.h"

#include "FakeText.h"

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/StreamCopier.h>

namespace tinko::fakes {

std::string FakeHttpRequest::header(const std::string& lowerName) const {
    for (const auto& [n, v] : headers)
        if (n == lowerName) return v;
    return {};
}

FakeHttpAnswer htmlAnswer(int status, const std::string& title, const std::string& content) {
    return {status, "text/html; charset=utf-8", {},
            "<!doctype html><html><head><meta charset=\"utf-8\"><title>" + htmlEscape(title) + "</title></head><body><h1>" +
                htmlEscape(title) + "</h1>" + content + "</body></html>"};
}

class FakeHttpServer::RequestHandler : public Poco::Net::HTTPRequestHandler {
public:
    explicit RequestHandler(FakeHttpServer& server) : server_(server) {}

    void handleRequest(Poco::Net::HTTPServerRequest& in, Poco::Net::HTTPServerResponse& out) override {
        try {
            FakeHttpRequest request;
            request.method = in.getMethod();
            const std::string& uri = in.getURI();
            const std::size_t question = uri.find('?');
            request.path = uri.substr(0, question);
            if (question != std::string::npos) request.query = uri.substr(question + 1);
            for (const auto& [name, value] : in) request.headers.emplace_back(lower(name), value);
            Poco::StreamCopier::copyToString(in.stream(), request.body);

            std::chrono::milliseconds delay{0};
            const FakeHttpAnswer answer = server_.handler_(request, delay);
            if (delay.count() > 0) server_.hold(delay);

            out.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(answer.status));
            out.setContentType(answer.contentType);
            for (const auto& [name, value] : answer.headers) out.set(name, value);
            out.setContentLength(static_cast<std::streamsize>(answer.body.size()));
            out.send() << answer.body;
        } catch (...) {
            // The client went away (e.g. it timed out during a delay): nobody to answer.
        }
    }

private:
    FakeHttpServer& server_;
};

class FakeHttpServer::RequestHandlerFactory : public Poco::Net::HTTPRequestHandlerFactory {
public:
    explicit RequestHandlerFactory(FakeHttpServer& server) : server_(server) {}
    Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
        return new RequestHandler(server_);
    }

private:
    FakeHttpServer& server_;
};

FakeHttpServer::FakeHttpServer(Handler handler) : handler_(std::move(handler)) {}
FakeHttpServer::~FakeHttpServer() { stop(); }

void FakeHttpServer::start() {
    if (server_) return;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        stopping_ = false;
    }
    Poco::Net::ServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0));
    auto params = new Poco::Net::HTTPServerParams;   // the server owns it
    params->setMaxThreads(16);
    params->setKeepAlive(false);
    port_ = socket.address().port();
    baseUrl_ = "http://127.0.0.1:" + std::to_string(port_);
    server_ = std::make_unique<Poco::Net::HTTPServer>(new RequestHandlerFactory(*this), threads_, socket, params);
    server_->start();
}

void FakeHttpServer::stop() {
    if (!server_) return;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    server_->stopAll(true);
    threads_.joinAll();
    server_.reset();
}

void FakeHttpServer::hold(std::chrono::milliseconds delay) {
    std::unique_lock<std::mutex> lock(mutex_);
    wake_.wait_for(lock, delay, [this] { return stopping_; });
}

}  // namespace tinko::fakes
