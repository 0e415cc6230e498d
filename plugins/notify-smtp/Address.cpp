#include "Address.h"

#include "TextEncoding.h"

#include <cctype>

namespace tinko::smtp {

namespace {

constexpr std::size_t kMaxLocalPart = 64;     // RFC 5321 4.5.3.1.1
constexpr std::size_t kMaxAddress = 254;      // RFC 5321 4.5.3.1.3 (a path of 256, minus the <>)
constexpr std::size_t kMaxDomainLabel = 63;   // RFC 1035
constexpr std::size_t kMaxDisplayName = 200;  // keeps the From/To header line far below 998 characters

// RFC 5322 atext: what a dot-atom may contain besides the dots.
bool isAtext(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || std::string_view("!#$%&'*+-/=?^_`{|}~").find(c) != std::string_view::npos;
}

std::string_view trimmed(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

void checkLocalPart(std::string_view local) {
    if (local.empty()) throw AddressError("the part before '@' is empty");
    if (local.size() > kMaxLocalPart) throw AddressError("the part before '@' is longer than 64 characters");
    if (local.front() == '.' || local.back() == '.' || local.find("..") != std::string_view::npos)
        throw AddressError("the part before '@' has a misplaced dot");
    for (char c : local)
        if (c != '.' && !isAtext(c))
            throw AddressError(std::string("the part before '@' contains '") + c + "', which needs quoting; use a plain address");
}

void checkDomain(std::string_view domain) {
    if (domain.empty()) throw AddressError("the domain after '@' is empty");
    std::size_t start = 0;
    while (start <= domain.size()) {
        std::size_t end = domain.find('.', start);
        if (end == std::string_view::npos) end = domain.size();
        const std::string_view label = domain.substr(start, end - start);
        if (label.empty() || label.size() > kMaxDomainLabel)
            throw AddressError("the domain '" + std::string(domain) + "' is not a valid host name");
        if (label.front() == '-' || label.back() == '-')
            throw AddressError("the domain '" + std::string(domain) + "' has a label that starts or ends with '-'");
        for (char c : label)
            if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-')
                throw AddressError("the domain '" + std::string(domain) + "' contains '" + std::string(1, c) + "'");
        start = end + 1;
    }
}

std::string checkedAddress(std::string_view address) {
    if (address.empty()) throw AddressError("the address is empty");
    if (!isAscii(address))
        throw AddressError("the address is not ASCII; internationalized addresses (SMTPUTF8) are not supported");
    if (address.size() > kMaxAddress) throw AddressError("the address is longer than 254 characters");
    const std::size_t at = address.rfind('@');
    if (at == std::string_view::npos) throw AddressError("'" + std::string(address) + "' has no '@'");
    checkLocalPart(address.substr(0, at));
    checkDomain(address.substr(at + 1));
    return std::string(address);
}

// The display name before "<": unquoted if it was a quoted-string, else as written.
std::string displayNameOf(std::string_view raw) {
    raw = trimmed(raw);
    if (raw.size() >= 2 && raw.front() == '"' && raw.back() == '"') {
        std::string name;
        for (std::size_t i = 1; i + 1 < raw.size(); ++i) {
            if (raw[i] == '\\' && i + 2 < raw.size()) ++i;
            else if (raw[i] == '"') throw AddressError("the name has an unescaped '\"' inside its quotes");
            name += raw[i];
        }
        return name;
    }
    if (raw.find('"') != std::string_view::npos) throw AddressError("the name has unbalanced quotes");
    return std::string(raw);
}

// RFC 5322 "phrase" characters that may stand in a header unquoted.
bool isPlainPhrase(std::string_view name) {
    for (char c : name)
        if (c != ' ' && !isAtext(c)) return false;
    return true;
}

}  // namespace

Mailbox parseMailbox(std::string_view text) {
    // Control characters (a line break above all) would let a value add header lines or commands.
    for (char c : text)
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) throw AddressError("it contains a control character or line break");
    if (!isValidUtf8(text)) throw AddressError("it is not valid UTF-8");
    text = trimmed(text);

    const std::size_t open = text.find('<');
    if (open == std::string_view::npos) {
        if (text.find('>') != std::string_view::npos) throw AddressError("it has a '>' without a '<'");
        return {"", checkedAddress(text)};
    }
    if (text.back() != '>') throw AddressError("nothing may follow the '>' of \"Name <address>\"");
    const std::string_view inside = text.substr(open + 1, text.size() - open - 2);
    if (inside.find_first_of("<>") != std::string_view::npos) throw AddressError("it has more than one '<...>'");
    Mailbox mailbox{displayNameOf(text.substr(0, open)), checkedAddress(trimmed(inside))};
    if (mailbox.displayName.size() > kMaxDisplayName) throw AddressError("the name is longer than 200 bytes");
    return mailbox;
}

std::string formatMailbox(const Mailbox& mailbox) {
    if (mailbox.displayName.empty()) return mailbox.address;
    std::string name;
    if (!isPrintableAscii(mailbox.displayName)) {
        name = encodedWords(mailbox.displayName);
    } else if (isPlainPhrase(mailbox.displayName)) {
        name = mailbox.displayName;
    } else {
        name = "\"";
        for (char c : mailbox.displayName) {
            if (c == '"' || c == '\\') name += '\\';
            name += c;
        }
        name += '"';
    }
    return name + " <" + mailbox.address + ">";
}

}  // namespace tinko::smtp
