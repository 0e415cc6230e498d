#include "MimeMessage.h"

#include "TextEncoding.h"

#include "tinko/helpers/crypto.hpp"

#include <cctype>
#include <cstdio>
#include <ctime>
#include <stdexcept>

namespace tinko::smtp {

namespace {

constexpr std::size_t kFoldAt = 78;              // RFC 5322 2.1.1: lines SHOULD be at most 78 characters
constexpr std::size_t kMaxHeaderWord = 900;      // and MUST be at most 998: longer words get encoded
constexpr std::size_t kMaxExtraHeaderName = 76;
constexpr std::size_t kMaxExtraHeaderValue = 900;

constexpr const char* kDayNames[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
constexpr const char* kMonthNames[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

// Headers a caller may add besides X-*: informational, none changes who gets what.
constexpr const char* kInformationalHeaders[] = {"list-id",     "feedback-id", "precedence", "auto-submitted",
                                                 "in-reply-to", "references",  "keywords",   "comments",
                                                 "organization"};

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

bool hasLongWord(std::string_view value) {
    std::size_t run = 0;
    for (char c : value) {
        run = c == ' ' ? 0 : run + 1;
        if (run > kMaxHeaderWord) return true;
    }
    return false;
}

// "Name: value" CRLF for an unstructured value (RFC 5322 3.2.5): printable ASCII folded at spaces
// to about 78 characters a line; anything else as encoded-words.
std::string headerLine(std::string_view name, std::string_view value) {
    std::string out(name);
    out += ':';
    if (!isPrintableAscii(value) || hasLongWord(value)) return out + " " + encodedWords(value) + "\r\n";
    std::size_t lineLength = out.size();
    std::size_t start = 0;
    for (;;) {
        std::size_t space = value.find(' ', start);
        const std::string_view word = value.substr(start, space == std::string_view::npos ? std::string_view::npos : space - start);
        // Folding puts CRLF before a space that is already there; never right after the colon.
        if (lineLength + 1 + word.size() > kFoldAt && lineLength > name.size() + 1) {
            out += "\r\n";
            lineLength = 0;
        }
        out += ' ';
        out += word;
        lineLength += 1 + word.size();
        if (space == std::string_view::npos) break;
        start = space + 1;
    }
    return out + "\r\n";
}

// What a mailto: URI may hold unescaped (RFC 3986 unreserved, plus the '@' of the address).
std::string percentEncoded(std::string_view s) {
    constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    for (char c : s) {
        const auto u = static_cast<unsigned char>(c);
        if (std::isalnum(u) || c == '-' || c == '.' || c == '_' || c == '~' || c == '@') {
            out += c;
        } else {
            out += '%';
            out += kHex[u >> 4];
            out += kHex[u & 0x0F];
        }
    }
    return out;
}

// "<https://...>, <mailto:from?subject=unsubscribe>" with an unsubscribe URL, else the mailto alone.
std::string listUnsubscribeFor(const std::optional<std::string>& unsubscribeUrl, const Mailbox& from) {
    const std::string mailto = "<mailto:" + percentEncoded(from.address) + "?subject=unsubscribe>";
    return unsubscribeUrl ? "<" + *unsubscribeUrl + ">, " + mailto : mailto;
}

std::string bodyPart(std::string_view contentType, std::string_view utf8Text) {
    const EncodedBody body = encodeBody(utf8Text);
    return "Content-Type: " + std::string(contentType) + "; charset=UTF-8\r\n" +
           "Content-Transfer-Encoding: " + body.transferEncoding + "\r\n\r\n" + body.content;
}

}  // namespace

EncodedBody encodeBody(std::string_view utf8Text) {
    const std::string canonical = toCrlf(utf8Text);
    std::string qp = quotedPrintable(canonical);
    std::string b64 = base64Body(canonical);
    if (b64.size() < qp.size()) return {"base64", std::move(b64)};
    return {"quoted-printable", std::move(qp)};
}

std::string buildMessage(const OutgoingEmail& email) {
    std::string message;
    message += "Date: " + rfc5322Date(email.dateUnixSeconds) + "\r\n";
    message += "From: " + formatMailbox(email.from) + "\r\n";
    message += "To: " + formatMailbox(email.to) + "\r\n";
    if (email.replyTo) message += "Reply-To: " + formatMailbox(*email.replyTo) + "\r\n";
    if (!email.subject.empty()) message += headerLine("Subject", email.subject);
    message += "Message-ID: " + email.messageId + "\r\n";
    message += "MIME-Version: 1.0\r\n";
    message += "List-Unsubscribe: " + listUnsubscribeFor(email.unsubscribeUrl, email.from) + "\r\n";
    // RFC 8058 3.1: one-click unsubscribe is a POST to an HTTPS URI of List-Unsubscribe, so a
    // message that has only the mailto: must not claim it.
    if (email.unsubscribeUrl) message += "List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n";
    message += headerLine("X-Tinko-Idempotency-Key", email.idempotencyKey);
    for (const auto& [name, value] : email.extraHeaders) {
        if (const std::string problem = extraHeaderProblem(name, value); !problem.empty())
            throw std::invalid_argument(problem);   // the caller checks first; this guards the builder
        message += headerLine(name, value);
    }

    if (!email.html) return message + bodyPart("text/plain", email.text);

    const std::string delimiter = "--" + email.boundary;
    message += "Content-Type: multipart/alternative; boundary=\"" + email.boundary + "\"\r\n\r\n";
    // The CRLF before each delimiter belongs to the delimiter (RFC 2046 5.1.1), so a part's own
    // last line break is kept.
    message += delimiter + "\r\n" + bodyPart("text/plain", email.text) + "\r\n";
    message += delimiter + "\r\n" + bodyPart("text/html", *email.html) + "\r\n";
    message += delimiter + "--\r\n";
    return message;
}

std::string rfc5322Date(std::int64_t unixSeconds) {
    const std::time_t seconds = static_cast<std::time_t>(unixSeconds);
    std::tm utc{};
    if (!gmtime_r(&seconds, &utc)) throw std::invalid_argument("the host clock is out of range");
    char text[40];
    std::snprintf(text, sizeof text, "%s, %02d %s %04d %02d:%02d:%02d +0000", kDayNames[utc.tm_wday], utc.tm_mday,
                  kMonthNames[utc.tm_mon], utc.tm_year + 1900, utc.tm_hour, utc.tm_min, utc.tm_sec);
    return text;
}

std::string messageIdFor(std::string_view idempotencyKey, const Mailbox& from, const Mailbox& to) {
    // NUL separates the parts: none of them can contain one, so distinct inputs stay distinct.
    std::string input(idempotencyKey);
    input += '\0' + from.address + '\0' + to.address;
    return "<tinko." + sdk::helpers::sha256Hex(input).substr(0, 32) + "@" + from.domain() + ">";
}

std::string mimeBoundary(const std::vector<std::uint8_t>& randomBytes) {
    return "=_tinko_" + sdk::helpers::hex(std::string(randomBytes.begin(), randomBytes.end()));
}

std::string extraHeaderProblem(std::string_view name, std::string_view value) {
    const std::string quoted = "'" + std::string(name.substr(0, kMaxExtraHeaderName)) + "'";
    if (name.empty() || name.size() > kMaxExtraHeaderName) return "header names must have 1 to 76 characters";
    for (char c : name)   // RFC 5322 ftext
        if (static_cast<unsigned char>(c) < 33 || static_cast<unsigned char>(c) > 126 || c == ':')
            return quoted + " is not a valid header name";
    const std::string key = lower(name);
    bool allowed = key.size() > 2 && key.rfind("x-", 0) == 0 && key.rfind("x-tinko-", 0) != 0;
    for (const char* informational : kInformationalHeaders) allowed = allowed || key == informational;
    if (!allowed)
        return "header " + quoted +
               " may not be set: allowed are X-* (not X-Tinko-*), List-Id, Feedback-ID, Precedence, Auto-Submitted, "
               "In-Reply-To, References, Keywords, Comments and Organization";
    if (containsLineBreak(value)) return "header " + quoted + " must be one line";
    if (!isValidUtf8(value)) return "header " + quoted + " is not valid UTF-8";
    if (value.size() > kMaxExtraHeaderValue) return "header " + quoted + " is longer than 900 bytes";
    return "";
}

}  // namespace tinko::smtp
