#include "SmtpReply.h"

#include <cctype>

namespace tinko::smtp {

namespace {

// RFC 5321 4.5.3.1.5 allows 512 characters per reply line; real servers sometimes send more, but a
// line without an end, or a reply without an end, is a broken or hostile peer.
constexpr std::size_t kMaxLineLength = 4096;
constexpr std::size_t kMaxLinesPerReply = 256;

std::string upper(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return out;
}

std::vector<std::string> words(std::string_view s) {
    std::vector<std::string> out;
    std::size_t i = 0;
    while (i < s.size()) {
        while (i < s.size() && s[i] == ' ') ++i;
        const std::size_t start = i;
        while (i < s.size() && s[i] != ' ') ++i;
        if (i > start) out.emplace_back(s.substr(start, i - start));
    }
    return out;
}

}  // namespace

std::string SmtpReply::summary() const {
    std::string out = std::to_string(code);
    for (std::size_t i = 0; i < lines.size(); ++i) {
        if (lines[i].empty()) continue;
        out += i == 0 ? " " : " / ";
        out += lines[i];
    }
    return out;
}

void ReplyReader::feed(std::string_view bytes) { buffer_.append(bytes.data(), bytes.size()); }

std::optional<SmtpReply> ReplyReader::next() {
    for (;;) {
        const std::size_t lineFeed = buffer_.find('\n');
        if (lineFeed == std::string::npos) {
            if (buffer_.size() > kMaxLineLength) throw ProtocolError("the server sent a reply line without an end");
            return std::nullopt;
        }
        if (lineFeed > kMaxLineLength) throw ProtocolError("the server sent a reply line longer than 4096 characters");
        std::string line = buffer_.substr(0, lineFeed);
        buffer_.erase(0, lineFeed + 1);
        if (!line.empty() && line.back() == '\r') line.pop_back();   // CRLF, or a lenient bare LF

        const bool digits = line.size() >= 3 && std::isdigit(static_cast<unsigned char>(line[0])) &&
                            std::isdigit(static_cast<unsigned char>(line[1])) && std::isdigit(static_cast<unsigned char>(line[2]));
        const char separator = line.size() > 3 ? line[3] : ' ';
        if (!digits || (separator != ' ' && separator != '-'))
            throw ProtocolError("the server sent something that is not an SMTP reply: '" + line.substr(0, 80) + "'");
        const int code = std::stoi(line.substr(0, 3));
        if (!partial_.lines.empty() && code != partial_.code)
            throw ProtocolError("the server changed the reply code within one reply (" + std::to_string(partial_.code) +
                                " then " + std::to_string(code) + ")");
        if (partial_.lines.size() >= kMaxLinesPerReply) throw ProtocolError("the server sent a reply of more than 256 lines");

        partial_.code = code;
        partial_.lines.push_back(line.size() > 4 ? line.substr(4) : std::string());
        if (separator == ' ') {
            SmtpReply complete = std::move(partial_);
            partial_ = SmtpReply{};
            return complete;
        }
    }
}

EhloCapabilities EhloCapabilities::of(const SmtpReply& ehloReply) {
    EhloCapabilities capabilities;
    // The first line is the server's name and greeting; each further line is one extension.
    for (std::size_t i = 1; i < ehloReply.lines.size(); ++i) {
        const std::vector<std::string> parts = words(ehloReply.lines[i]);
        if (parts.empty()) continue;
        const std::string keyword = upper(parts[0]);
        if (keyword == "STARTTLS") capabilities.startTls = true;
        if (keyword == "AUTH") {
            for (std::size_t k = 1; k < parts.size(); ++k) capabilities.authMechanisms.insert(upper(parts[k]));
        } else if (keyword.rfind("AUTH=", 0) == 0) {   // the pre-RFC 4954 form some servers still send
            capabilities.authMechanisms.insert(keyword.substr(5));
            for (std::size_t k = 1; k < parts.size(); ++k) capabilities.authMechanisms.insert(upper(parts[k]));
        }
    }
    return capabilities;
}

}  // namespace tinko::smtp
