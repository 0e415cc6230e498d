#include "TwilioIdentifiers.h"

#include <cctype>

namespace tinko::twilio {

namespace {

bool isDigit(char c) { return c >= '0' && c <= '9'; }

bool isHex(char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; }

bool isSid(std::string_view sid, std::string_view prefix) {
    if (sid.size() != prefix.size() + 32 || sid.substr(0, prefix.size()) != prefix) return false;
    for (char c : sid.substr(prefix.size()))
        if (!isHex(c)) return false;
    return true;
}

}  // namespace

bool isE164(std::string_view number) {
    if (number.size() < 3 || number.size() > 16 || number[0] != '+' || number[1] == '0') return false;
    for (char c : number.substr(1))
        if (!isDigit(c)) return false;
    return true;
}

bool isAccountSid(std::string_view sid) { return isSid(sid, "AC"); }
bool isMessagingServiceSid(std::string_view sid) { return isSid(sid, "MG"); }

bool isHttpUrl(std::string_view url) {
    std::string_view rest;
    if (url.substr(0, 8) == "https://") rest = url.substr(8);
    else if (url.substr(0, 7) == "http://") rest = url.substr(7);
    else return false;
    if (rest.empty() || rest[0] == '/' || rest[0] == '?' || rest[0] == '#') return false;   // no host
    for (char c : url)
        if (std::isspace(static_cast<unsigned char>(c)) || std::iscntrl(static_cast<unsigned char>(c))) return false;
    return true;
}

}  // namespace tinko::twilio
