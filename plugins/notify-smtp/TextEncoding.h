#pragma once
// The encodings a MIME message needs so that everything on the wire is 7-bit ASCII in lines of at
// most 76 characters: base64 (RFC 2045 6.8), quoted-printable (RFC 2045 6.7) and RFC 2047
// encoded-words for header text. Sending only 7-bit keeps the plugin independent of the server's
// 8BITMIME/SMTPUTF8 support.
#include <string>
#include <string_view>

namespace tinko::smtp {

bool isAscii(std::string_view text);
// Printable ASCII: 0x20 (space) to 0x7E.
bool isPrintableAscii(std::string_view text);
bool isValidUtf8(std::string_view text);
bool containsLineBreak(std::string_view text);

// Every line break (CRLF, a lone CR or a lone LF) as CRLF: SMTP forbids bare CR and LF.
std::string toCrlf(std::string_view text);

// Base64 of `bytes` (tinko/helpers/crypto.hpp's, on one line) in lines of 76 characters, each ending with CRLF: a body part.
std::string base64Body(std::string_view bytes);

// Quoted-printable of `crlfText` (whose line breaks are CRLF): each CRLF stays a hard line break,
// longer lines get soft breaks ("=" CRLF) so no encoded line exceeds 76 characters, and '=',
// control characters, non-ASCII bytes and a space or tab at the end of a line are written =XX.
std::string quotedPrintable(std::string_view crlfText);

// `utf8Text` as RFC 2047 "B" encoded-words (=?UTF-8?B?...?=), folded with CRLF SP between words.
// A word never splits a UTF-8 sequence, and each is short enough that "Subject: " plus one word
// stays within 78 characters.
std::string encodedWords(std::string_view utf8Text);

}  // namespace tinko::smtp
