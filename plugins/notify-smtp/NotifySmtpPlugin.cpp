// notify-smtp: the email channel over SMTP. send builds a MIME message and submits it to the org's
// SMTP server through the host's stream service (the host owns the socket, TLS and certificate
// checks); SMTP has no delivery callbacks, so parse_callback is unsupported.
//
// send {"config", "to", "text", "subject"?, "html"?, "headers"?: {name: value}, "idempotency_key"}
//   -> {"provider_message_id": the Message-ID, "status": "sent"}
// The errors, and what each means for a retry, are listed in SmtpSession.h.
#include "Address.h"
#include "MimeMessage.h"
#include "SmtpConfig.h"
#include "SmtpSession.h"
#include "TextEncoding.h"

#include "tinko/sdk.hpp"

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace {

namespace sdk = tinko::sdk;
using tinko::json::Value;
using namespace tinko::smtp;

constexpr std::size_t kMaxIdempotencyKey = 255;
constexpr std::size_t kBoundaryRandomBytes = 16;

// The host's stream as the session's connection.
class HostStreamTransport : public SmtpTransport {
public:
    explicit HostStreamTransport(sdk::Stream& stream) : stream_(stream) {}
    void write(std::string_view bytes) override { stream_.write(bytes); }
    std::string read() override { return stream_.read(); }
    void startTls(const std::string& serverName) override { stream_.startTls(serverName); }

private:
    sdk::Stream& stream_;
};

struct SendRequest {
    Mailbox to;
    std::string subject;
    std::string text;
    std::optional<std::string> html;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string idempotencyKey;
};

std::string checkedUtf8(std::string text, std::string_view key) {
    if (!isValidUtf8(text)) throw sdk::invalidInput(std::string(key) + " is not valid UTF-8");
    return text;
}

std::optional<std::string> optionalString(const Value& request, std::string_view key) {
    const Value* value = request.find(key);
    if (!value || value->isNull()) return std::nullopt;
    if (!value->isString()) throw sdk::invalidInput(std::string(key) + " must be a string");
    return checkedUtf8(value->asString(), key);
}

SendRequest parseSendRequest(const Value& request) {
    SendRequest out;
    try {
        out.to = parseMailbox(sdk::requireString(request, "to"));
    } catch (const AddressError& e) {
        throw sdk::invalidInput(std::string("to is not a usable address: ") + e.what());
    }
    out.text = checkedUtf8(sdk::requireString(request, "text"), "text");
    out.subject = optionalString(request, "subject").value_or("");
    if (containsLineBreak(out.subject)) throw sdk::invalidInput("subject must be one line");
    if (auto html = optionalString(request, "html"); html && !html->empty()) out.html = std::move(html);

    if (const Value* headers = request.find("headers"); headers && !headers->isNull()) {
        if (!headers->isObject()) throw sdk::invalidInput("headers must be an object of header names to strings");
        for (const auto& [name, value] : headers->asObject()) {
            if (!value.isString()) throw sdk::invalidInput("headers: the value of '" + name.substr(0, 76) + "' must be a string");
            if (const std::string problem = extraHeaderProblem(name, value.asString()); !problem.empty())
                throw sdk::invalidInput("headers: " + problem);
            out.headers.emplace_back(name, value.asString());
        }
    }

    out.idempotencyKey = sdk::requireString(request, "idempotency_key");
    if (out.idempotencyKey.size() > kMaxIdempotencyKey || !isPrintableAscii(out.idempotencyKey))
        throw sdk::invalidInput("idempotency_key must be at most 255 printable ASCII characters");
    return out;
}

class NotifySmtp : public sdk::ChannelPlugin {
public:
    using ChannelPlugin::ChannelPlugin;

    std::string describe(const std::string&) override {
        // Any mail server, but only on the mail ports: not a way to reach other services.
        return Value::object({{"display_name", "SMTP"},
                              {"channel", "email"},
                              {"egress", Value::array({"*:25", "*:465", "*:587", "*:2525"})}})
            .dump();
    }

    std::string validateConfig(const std::string& requestJson) override {
        const Value request = sdk::parseRequest(requestJson);
        parseSmtpConfig(sdk::configOf(request));
        return "{}";
    }

    std::string send(const std::string& requestJson) override {
        const Value request = sdk::parseRequest(requestJson);
        const SmtpConfig config = parseSmtpConfig(sdk::configOf(request));
        SendRequest message = parseSendRequest(request);

        OutgoingEmail email;
        email.from = config.from;
        email.to = message.to;
        email.replyTo = config.replyTo;
        email.subject = std::move(message.subject);
        email.text = std::move(message.text);
        email.html = std::move(message.html);
        email.dateUnixSeconds = host().nowUnixMs() / 1000;
        email.messageId = messageIdFor(message.idempotencyKey, config.from, message.to);
        email.unsubscribeUrl = config.unsubscribeUrl;
        email.idempotencyKey = message.idempotencyKey;
        email.extraHeaders = std::move(message.headers);
        email.boundary = mimeBoundary(host().randomBytes(kBoundaryRandomBytes));
        const Envelope envelope{config.from.address, message.to.address, buildMessage(email)};

        const SessionSettings settings{config.host, config.tls, config.heloName, config.credentials};
        sdk::Stream stream = host().openStream(config.host, config.port, config.tls == TlsMode::Implicit, config.timeoutMs);
        HostStreamTransport transport(stream);
        const Delivery delivery = deliver(transport, settings, envelope);

        host().info("the SMTP server accepted " + email.messageId + ": " + delivery.acceptedReply);
        if (!delivery.quitProblem.empty()) host().debug("after " + email.messageId + " was accepted: " + delivery.quitProblem);
        return Value::object({{"provider_message_id", email.messageId}, {"status", "sent"}}).dump();
    }

    std::string parseCallback(const std::string&) override {
        throw sdk::Error(TINKO_ERR_UNSUPPORTED, "SMTP has no delivery callbacks: notify-smtp does not offer parse_callback");
    }
};

}  // namespace

TINKO_CHANNEL_PLUGIN(NotifySmtp, "notify-smtp", "1.0.0", R"(["send"])", tinko::smtp::kSmtpConfigSchema)
