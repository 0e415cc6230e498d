#pragma once
// Email addresses as the plugin accepts them: "jane@example.com" or "Jane Doe <jane@example.com>"
// (the name may be quoted: "\"Doe, Jane\" <jane@example.com>"). The address itself is a plain
// ASCII dot-atom local part and a host name: exactly what can go into MAIL FROM/RCPT TO without
// SMTPUTF8 and into a header without encoding. Anything else is refused with the reason, so a
// malformed or hostile value (a line break, a second address) never reaches the wire.
#include <stdexcept>
#include <string>
#include <string_view>

namespace tinko::smtp {

struct Mailbox {
    std::string displayName;   // UTF-8; may be empty
    std::string address;       // local@domain

    std::string domain() const { return address.substr(address.rfind('@') + 1); }
};

// Why an address was refused; the message says what is wrong (it never needs the key's name).
struct AddressError : std::invalid_argument {
    using std::invalid_argument::invalid_argument;
};

// Throws AddressError saying what is wrong.
Mailbox parseMailbox(std::string_view text);

// The mailbox as a header value: the address alone, or the name (as is, quoted, or as RFC 2047
// encoded-words when it is not ASCII) followed by <address>.
std::string formatMailbox(const Mailbox& mailbox);

}  // namespace tinko::smtp
