#include "SmtpSession.h"

#include "SmtpReply.h"
#include "TextEncoding.h"

#include "tinko/helpers/crypto.hpp"

#include "tinko/sdk.hpp"

#include <initializer_list>

namespace tinko::smtp {

namespace {

namespace sdk = tinko::sdk;
using sdk::helpers::base64;

constexpr std::size_t kMaxReplyInMessage = 300;   // server text quoted in an error message

std::string shortened(std::string text) {
    if (text.size() > kMaxReplyInMessage) text = text.substr(0, kMaxReplyInMessage - 3) + "...";
    return text;
}

bool isNetworkError(const sdk::Error& e) { return e.category() == TINKO_ERR_NETWORK; }

class Session {
public:
    Session(SmtpTransport& transport, const SessionSettings& settings) : transport_(transport), settings_(settings) {}

    Delivery run(const Envelope& envelope) {
        expect(readReply("the greeting"), "the greeting", {220});
        capabilities_ = hello();
        if (settings_.tls == TlsMode::StartTls) {
            startTls();
            capabilities_ = hello();   // RFC 3207 4.2: what was offered in clear no longer counts
        }
        if (settings_.credentials) authenticate(*settings_.credentials);
        command("MAIL FROM:<" + envelope.mailFrom + ">", "MAIL FROM", {250});
        command("RCPT TO:<" + envelope.recipient + ">", "RCPT TO", {250, 251});
        command("DATA", "DATA", {354});
        Delivery delivery;
        delivery.acceptedReply = sendMessage(envelope.message);
        delivery.quitProblem = quit();
        return delivery;
    }

private:
    // ---- Talking ------------------------------------------------------------------------------

    void send(std::string_view line, std::string_view step) {
        try {
            transport_.write(std::string(line) + "\r\n");
        } catch (const sdk::Error& e) {
            if (!isNetworkError(e)) throw;
            throw sdk::networkError(std::string(step) + ": " + e.what());
        }
    }

    SmtpReply readReply(std::string_view step) {
        for (;;) {
            std::optional<SmtpReply> reply;
            try {
                reply = reader_.next();
            } catch (const ProtocolError& e) {
                throw protocolError(step, e.what());
            }
            if (reply) return *reply;
            try {
                reader_.feed(transport_.read());
            } catch (const sdk::Error& e) {
                if (!isNetworkError(e)) throw;
                throw sdk::networkError("waiting for the reply to " + std::string(step) + ": " + e.what());
            }
        }
    }

    SmtpReply command(std::string_view line, std::string_view step, std::initializer_list<int> accepted) {
        send(line, step);
        SmtpReply reply = readReply(step);
        expect(reply, step, accepted);
        return reply;
    }

    void expect(const SmtpReply& reply, std::string_view step, std::initializer_list<int> accepted, bool authStep = false) {
        for (int code : accepted)
            if (reply.code == code) return;
        throw refusal(reply, step, authStep);
    }

    // ---- Failures -----------------------------------------------------------------------------

    static sdk::Error protocolError(std::string_view step, const std::string& why) {
        return sdk::providerError(std::string(step) + ": " + why, true, "protocol_error");
    }

    // The error for a reply that is not the one `step` needs. The server is told QUIT first when it
    // can still listen: not after 421 (it is closing the connection) nor after a reply out of place.
    sdk::Error refusal(const SmtpReply& reply, std::string_view step, bool authStep) {
        const std::string code = std::to_string(reply.code);
        const std::string what = std::string(step) + " failed: the SMTP server answered " + shortened(reply.summary());
        if (!reply.isTransientFailure() && !reply.isPermanentFailure())
            return protocolError(step, "the SMTP server answered " + shortened(reply.summary()) + ", which does not belong there");
        if (reply.code != 421) quit();
        if (reply.code == 530 || (authStep && reply.isPermanentFailure())) return sdk::authFailed(what, code);
        return sdk::providerError(what, reply.isTransientFailure(), code);
    }

    // A setting that cannot work with this server: retrying the same configuration cannot help.
    sdk::Error configurationError(const std::string& what, std::string providerCode) {
        quit();
        return sdk::Error(TINKO_ERR_INVALID_CONFIG, what, false, std::move(providerCode));
    }

    // ---- Steps --------------------------------------------------------------------------------

    EhloCapabilities hello() {
        send("EHLO " + settings_.heloName, "EHLO");
        const SmtpReply reply = readReply("EHLO");
        if (reply.code == 250) return EhloCapabilities::of(reply);
        // RFC 5321 3.2: a server that does not know EHLO (500, 502) gets HELO, and offers nothing.
        if (reply.code == 500 || reply.code == 502) {
            command("HELO " + settings_.heloName, "HELO", {250});
            return {};
        }
        throw refusal(reply, "EHLO", false);
    }

    void startTls() {
        if (!capabilities_.startTls)
            throw configurationError("tls: the SMTP server at " + settings_.serverName +
                                         " does not offer STARTTLS, so nothing is sent rather than sending in clear; "
                                         "use tls \"implicit\" if it expects TLS from the start",
                                     "starttls_not_offered");
        command("STARTTLS", "STARTTLS", {220});
        // Anything already received was sent in clear and could have been injected by whoever sits
        // in the middle; RFC 3207 5 says to discard it. A correct server sends nothing here.
        if (reader_.buffered() > 0)
            throw protocolError("STARTTLS", "the server sent data after its STARTTLS reply and before TLS began");
        transport_.startTls(settings_.serverName);   // a bad certificate fails here: TINKO_ERR_NETWORK
    }

    void authenticate(const Credentials& credentials) {
        if (capabilities_.authMechanisms.count("PLAIN")) return authPlain(credentials);
        if (capabilities_.authMechanisms.count("LOGIN")) return authLogin(credentials);
        std::string offered;
        for (const std::string& mechanism : capabilities_.authMechanisms) offered += (offered.empty() ? "" : " ") + mechanism;
        throw configurationError("username: the SMTP server offers no AUTH mechanism this plugin speaks (PLAIN, LOGIN); it offers " +
                                     (offered.empty() ? std::string("none") : offered),
                                 "auth_unavailable");
    }

    // RFC 4616: "\0username\0password" in base64, as the initial response of AUTH PLAIN.
    void authPlain(const Credentials& credentials) {
        const std::string token = base64(std::string(1, '\0') + credentials.username + '\0' + credentials.password);
        send("AUTH PLAIN " + token, "AUTH PLAIN");
        SmtpReply reply = readReply("AUTH PLAIN");
        if (reply.code == 334) {   // a server that ignores initial responses asks for it again
            send(token, "AUTH PLAIN");
            reply = readReply("AUTH PLAIN");
        }
        expect(reply, "AUTH PLAIN", {235}, true);
    }

    // AUTH LOGIN: the username and then the password, each answering a 334 prompt. The prompts'
    // text is not checked: servers word it differently ("Username:", "User Name").
    void authLogin(const Credentials& credentials) {
        send("AUTH LOGIN", "AUTH LOGIN");
        expect(readReply("AUTH LOGIN"), "AUTH LOGIN", {334}, true);
        send(base64(credentials.username), "AUTH LOGIN");
        expect(readReply("AUTH LOGIN (username)"), "AUTH LOGIN (username)", {334}, true);
        send(base64(credentials.password), "AUTH LOGIN");
        expect(readReply("AUTH LOGIN (password)"), "AUTH LOGIN (password)", {235}, true);
    }

    // Sends the message and returns the server's acceptance. Once the end-of-data line is out, the
    // server may have accepted the message: a lost verdict is then "outcome unknown", not a failure.
    std::string sendMessage(const std::string& message) {
        try {
            transport_.write(dotStuffed(message));
        } catch (const sdk::Error& e) {
            if (!isNetworkError(e)) throw;
            // The end-of-data line is the last thing written: a write that failed did not deliver
            // all of it, so the server cannot have accepted the message.
            throw sdk::networkError(std::string("sending the message failed before its end, so it was not accepted: ") + e.what());
        }
        SmtpReply reply;
        try {
            reply = readReply("the end of the message");
        } catch (const sdk::Error& e) {
            if (!isNetworkError(e) && e.providerCode() != "protocol_error") throw;
            throw sdk::Error(TINKO_ERR_NETWORK,
                             std::string("the outcome is unknown: the whole message was sent, but no verdict came back (") +
                                 e.what() + "); the server may have accepted it, so do not resend it blindly",
                             false, "outcome_unknown");
        }
        expect(reply, "the end of the message", {250});
        return reply.summary();
    }

    // Says goodbye; returns what went wrong, or "". Never throws: by now the outcome is decided.
    std::string quit() {
        try {
            send("QUIT", "QUIT");
            const SmtpReply reply = readReply("QUIT");
            return reply.code == 221 ? "" : "QUIT was answered with " + shortened(reply.summary());
        } catch (const sdk::Error& e) {
            return e.what();
        }
    }

    SmtpTransport& transport_;
    const SessionSettings& settings_;
    ReplyReader reader_;
    EhloCapabilities capabilities_;
};

}  // namespace

std::string dotStuffed(std::string_view message) {
    std::string out;
    out.reserve(message.size() + message.size() / 64 + 5);
    bool atLineStart = true;
    for (char c : message) {
        if (atLineStart && c == '.') out += '.';
        out += c;
        atLineStart = c == '\n';
    }
    if (!out.empty() && !atLineStart) out += "\r\n";
    out += ".\r\n";
    return out;
}

Delivery deliver(SmtpTransport& transport, const SessionSettings& settings, const Envelope& envelope) {
    return Session(transport, settings).run(envelope);
}

}  // namespace tinko::smtp
