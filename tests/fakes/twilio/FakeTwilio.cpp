// FakeTwilio: the API tests drive it with, and status callbacks. The Messages endpoint is in
// FakeTwilioApi.cpp; the HTTP server is FakeHttpServer.
#include "AnswerLog.h"
#include "FakeTwilioImpl.h"
#include "Signing.h"

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <Poco/Timespan.h>
#include <Poco/URI.h>

#include <algorithm>
#include <stdexcept>

#ifndef TINKO_FAKE_TWILIO_CONTRACT
#error "build with TINKO_FAKE_TWILIO_CONTRACT, the path of twilio-contract.json"
#endif

namespace tinko::fakes {

using namespace twilio;

namespace {

std::string encodeForm(const FormPairs& pairs) {
    std::string out;
    for (const auto& [name, value] : pairs) out += (out.empty() ? "" : "&") + percentEncode(name) + "=" + percentEncode(value);
    return out;
}

}  // namespace

// ---- FakeTwilioRequest --------------------------------------------------------------------------

std::optional<std::string> FakeTwilioRequest::formValue(const std::string& name) const {
    for (const auto& [n, v] : form)
        if (n == name) return v;
    return std::nullopt;
}

// ---- The fake's insides -------------------------------------------------------------------------

FakeTwilio::Impl::Impl(Options o)
    : options(std::move(o)),
      contract(TwilioContract::load(options.contractPath.empty() ? TINKO_FAKE_TWILIO_CONTRACT : options.contractPath)) {}

Answer FakeTwilio::Impl::handle(const FakeHttpRequest& received) {
    FakeTwilioRequest request;
    static_cast<FakeHttpRequest&>(request) = received;
    std::lock_guard<std::mutex> lock(mutex);
    Answer answer = api(request);
    answer.headers.emplace_back("Twilio-Request-Id", newSid("RQ"));
    request.status = answer.status;
    requests.push_back(request);
    return answer;
}

FakeTwilioMessage* FakeTwilio::Impl::find(const std::string& sid) {
    for (FakeTwilioMessage& m : messages)
        if (m.sid == sid) return &m;
    return nullptr;
}

std::string FakeTwilio::Impl::newSid(const std::string& prefix) {
    constexpr char kHex[] = "0123456789abcdef";
    std::string sid = prefix;
    for (int i = 0; i < 32; ++i) sid += kHex[sidDigits() % 16];
    return sid;
}

// ---- FakeTwilio ---------------------------------------------------------------------------------

FakeTwilio::FakeTwilio() : FakeTwilio(Options{}) {}
FakeTwilio::FakeTwilio(Options options) : impl_(std::make_unique<Impl>(std::move(options))) {}
FakeTwilio::~FakeTwilio() { stop(); }

void FakeTwilio::start() { impl_->server.start(); }
void FakeTwilio::stop() { impl_->server.stop(); }

std::string FakeTwilio::baseUrl() const { return impl_->server.baseUrl(); }
int FakeTwilio::port() const { return impl_->server.port(); }
const std::string& FakeTwilio::accountSid() const { return impl_->options.accountSid; }
const std::string& FakeTwilio::authToken() const { return impl_->options.authToken; }

std::vector<FakeTwilioRequest> FakeTwilio::requests() const {
    std::lock_guard<std::mutex> lock(impl_->mutex);
    return impl_->requests;
}
std::vector<std::string> FakeTwilio::violations() const {
    std::lock_guard<std::mutex> lock(impl_->mutex);
    return impl_->violations;
}
std::vector<FakeTwilioMessage> FakeTwilio::messages() const {
    std::lock_guard<std::mutex> lock(impl_->mutex);
    return impl_->messages;
}
std::optional<FakeTwilioMessage> FakeTwilio::message(const std::string& sid) const {
    std::lock_guard<std::mutex> lock(impl_->mutex);
    const FakeTwilioMessage* m = impl_->find(sid);
    return m ? std::optional<FakeTwilioMessage>(*m) : std::nullopt;
}

void FakeTwilio::failNextSend(int code, int httpStatus) {
    std::lock_guard<std::mutex> lock(impl_->mutex);
    impl_->sendFailures.push_back({code, httpStatus});
}
void FakeTwilio::failNextRequest(int status) {
    std::lock_guard<std::mutex> lock(impl_->mutex);
    impl_->requestFailures.push_back(status);
}

// ---- Status callbacks ---------------------------------------------------------------------------

SignedStatusCallback FakeTwilio::statusCallback(const std::string& sid, const std::string& status,
                                                const std::string& errorCode, const std::string& url,
                                                const std::string& authToken) {
    std::lock_guard<std::mutex> lock(impl_->mutex);
    FakeTwilioMessage* message = impl_->find(sid);
    if (!message) throw std::invalid_argument("FakeTwilio: no message " + sid);
    const auto& statuses = impl_->contract.messageStatuses();
    if (std::find(statuses.begin(), statuses.end(), status) == statuses.end())
        throw std::invalid_argument("FakeTwilio: '" + status + "' is not a message status of the contract");
    const std::string target = url.empty() ? message->statusCallback : url;
    if (target.empty()) throw std::invalid_argument("FakeTwilio: message " + sid + " has no StatusCallback; pass a url");
    message->status = status;
    message->errorCode = errorCode;

    // The parameters Twilio posts, in the order it sends them.
    FormPairs form{{"ApiVersion", "2010-04-01"}, {"AccountSid", impl_->options.accountSid}};
    if (!errorCode.empty()) form.emplace_back("ErrorCode", errorCode);
    if (!message->from.empty()) form.emplace_back("From", message->from);
    form.emplace_back("MessageSid", sid);
    form.emplace_back("MessageStatus", status);
    if (!message->messagingServiceSid.empty()) form.emplace_back("MessagingServiceSid", message->messagingServiceSid);
    form.emplace_back("SmsSid", sid);
    form.emplace_back("SmsStatus", status);
    form.emplace_back("To", message->to);
    return {target, signature(target, form, authToken.empty() ? impl_->options.authToken : authToken), encodeForm(form)};
}

int FakeTwilio::deliverStatus(const std::string& sid, const std::string& status, const std::string& errorCode) {
    const SignedStatusCallback callback = statusCallback(sid, status, errorCode);
    const Poco::URI uri(callback.url);
    if (uri.getScheme() != "http") throw std::runtime_error("FakeTwilio: deliverStatus posts over plain http only: " + callback.url);
    try {
        Poco::Net::HTTPClientSession session(uri.getHost(), uri.getPort());
        session.setTimeout(Poco::Timespan(5, 0));
        Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_POST, uri.getPathAndQuery(), Poco::Net::HTTPMessage::HTTP_1_1);
        request.setContentType("application/x-www-form-urlencoded");
        request.set("X-Twilio-Signature", callback.signature);
        request.set("User-Agent", "TwilioProxy/1.1");
        request.setContentLength(static_cast<std::streamsize>(callback.body.size()));
        session.sendRequest(request) << callback.body;
        Poco::Net::HTTPResponse response;
        std::string body;
        Poco::StreamCopier::copyToString(session.receiveResponse(response), body);
        tinko::test::recordAnswer(uri.getPort(), request.getMethod(), request.getURI(), response.getStatus(),
                                  response.getContentType(), body);
        return response.getStatus();
    } catch (const Poco::Exception& e) {
        throw std::runtime_error("FakeTwilio: delivering the status callback to " + callback.url + " failed: " + e.displayText());
    }
}

std::string FakeTwilio::signature(const std::string& url, const std::vector<std::pair<std::string, std::string>>& params,
                                  const std::string& authToken) {
    std::vector<std::pair<std::string, std::string>> sorted = params;
    std::sort(sorted.begin(), sorted.end());
    std::string message = url;
    for (const auto& [name, value] : sorted) message += name + value;
    return hmacSha1Base64(authToken, message);
}

}  // namespace tinko::fakes
