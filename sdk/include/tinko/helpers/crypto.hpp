#pragma once
// tinko/helpers/crypto.hpp: what providers' signatures and credentials need, self-contained
// (portable C++17, no OpenSSL), so a plugin built against the SDK needs no library of its own:
// SHA-256 and SHA-1 (FIPS 180-4), HMAC (RFC 2104), hex, Base64 (RFC 4648) and a constant-time
// compare. Webhook signatures (Stripe, Razorpay, Mollie...) are hex(HMAC-SHA256); Twilio's are
// base64(HMAC-SHA1); HTTP Basic auth is base64("id:secret").
//
//     namespace helpers = tinko::sdk::helpers;
//     const std::string expected = helpers::hmacSha256Hex(secret, timestamp + "." + body);
//     if (!helpers::constantTimeEquals(expected, offered)) throw tinko::sdk::authFailed("bad signature");
//
// Strings hold bytes: a digest is returned as its raw bytes (32 for SHA-256), the *Hex and
// *Base64 forms as text. Not meant for bulk data: each call hashes in one pass over memory.
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace tinko::sdk::helpers {

namespace crypto_detail {

inline std::uint32_t rotateRight(std::uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }
inline std::uint32_t rotateLeft(std::uint32_t x, int n) { return (x << n) | (x >> (32 - n)); }

inline std::uint32_t bigEndian32(const unsigned char* p) {
    return (std::uint32_t(p[0]) << 24) | (std::uint32_t(p[1]) << 16) | (std::uint32_t(p[2]) << 8) | std::uint32_t(p[3]);
}

// The message padded as SHA-1 and SHA-256 both want it: 0x80, zeros, then the length in bits as
// 64-bit big-endian, to a multiple of 64 bytes.
inline std::string padded(std::string_view data) {
    std::string out(data);
    const std::uint64_t bits = static_cast<std::uint64_t>(data.size()) * 8;
    out += static_cast<char>(0x80);
    while (out.size() % 64 != 56) out += '\0';
    for (int shift = 56; shift >= 0; shift -= 8) out += static_cast<char>((bits >> shift) & 0xFF);
    return out;
}

template <std::size_t N>
std::string bigEndianBytes(const std::array<std::uint32_t, N>& words) {
    std::string out;
    out.reserve(4 * N);
    for (std::uint32_t w : words)
        for (int shift = 24; shift >= 0; shift -= 8) out += static_cast<char>((w >> shift) & 0xFF);
    return out;
}

}  // namespace crypto_detail

// SHA-256(data): 32 raw bytes.
inline std::string sha256(std::string_view data) {
    using namespace crypto_detail;
    // Local, not static: a function-local static in an inline function would pin the plugin in
    // memory (sdk.hpp says why), and a namespace-scope constant is a copy per translation unit,
    // which an inline function may not index (the one-definition rule).
    constexpr std::uint32_t kSha256Rounds[64] = {
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};
    std::array<std::uint32_t, 8> h = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                      0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    const std::string message = padded(data);
    const auto* bytes = reinterpret_cast<const unsigned char*>(message.data());
    for (std::size_t block = 0; block < message.size(); block += 64) {
        std::uint32_t w[64];
        for (int i = 0; i < 16; ++i) w[i] = bigEndian32(bytes + block + 4 * i);
        for (int i = 16; i < 64; ++i) {
            const std::uint32_t s0 = rotateRight(w[i - 15], 7) ^ rotateRight(w[i - 15], 18) ^ (w[i - 15] >> 3);
            const std::uint32_t s1 = rotateRight(w[i - 2], 17) ^ rotateRight(w[i - 2], 19) ^ (w[i - 2] >> 10);
            w[i] = w[i - 16] + s0 + w[i - 7] + s1;
        }
        std::uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], k = h[7];
        for (int i = 0; i < 64; ++i) {
            const std::uint32_t s1 = rotateRight(e, 6) ^ rotateRight(e, 11) ^ rotateRight(e, 25);
            const std::uint32_t choice = (e & f) ^ (~e & g);
            const std::uint32_t t1 = k + s1 + choice + kSha256Rounds[i] + w[i];
            const std::uint32_t s0 = rotateRight(a, 2) ^ rotateRight(a, 13) ^ rotateRight(a, 22);
            const std::uint32_t majority = (a & b) ^ (a & c) ^ (b & c);
            const std::uint32_t t2 = s0 + majority;
            k = g;
            g = f;
            f = e;
            e = d + t1;
            d = c;
            c = b;
            b = a;
            a = t1 + t2;
        }
        h[0] += a, h[1] += b, h[2] += c, h[3] += d, h[4] += e, h[5] += f, h[6] += g, h[7] += k;
    }
    return bigEndianBytes(h);
}

// SHA-1(data): 20 raw bytes. Broken for collisions; only for protocols that still require it
// inside an HMAC (Twilio's X-Twilio-Signature), where that weakness does not apply.
inline std::string sha1(std::string_view data) {
    using namespace crypto_detail;
    std::array<std::uint32_t, 5> h = {0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0};
    const std::string message = padded(data);
    const auto* bytes = reinterpret_cast<const unsigned char*>(message.data());
    for (std::size_t block = 0; block < message.size(); block += 64) {
        std::uint32_t w[80];
        for (int i = 0; i < 16; ++i) w[i] = bigEndian32(bytes + block + 4 * i);
        for (int i = 16; i < 80; ++i) w[i] = rotateLeft(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
        std::uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4];
        for (int i = 0; i < 80; ++i) {
            std::uint32_t f, k;
            if (i < 20) {
                f = (b & c) | (~b & d), k = 0x5A827999;
            } else if (i < 40) {
                f = b ^ c ^ d, k = 0x6ED9EBA1;
            } else if (i < 60) {
                f = (b & c) | (b & d) | (c & d), k = 0x8F1BBCDC;
            } else {
                f = b ^ c ^ d, k = 0xCA62C1D6;
            }
            const std::uint32_t t = rotateLeft(a, 5) + f + e + k + w[i];
            e = d;
            d = c;
            c = rotateLeft(b, 30);
            b = a;
            a = t;
        }
        h[0] += a, h[1] += b, h[2] += c, h[3] += d, h[4] += e;
    }
    return bigEndianBytes(h);
}

namespace crypto_detail {

// HMAC (RFC 2104) over a hash with 64-byte blocks (SHA-1, SHA-256).
template <typename Hash>
std::string hmac(Hash hash, std::string_view key, std::string_view message) {
    std::string block = key.size() > 64 ? hash(key) : std::string(key);
    block.resize(64, '\0');
    std::string inner(64, '\0'), outer(64, '\0');
    for (std::size_t i = 0; i < 64; ++i) {
        inner[i] = static_cast<char>(block[i] ^ 0x36);
        outer[i] = static_cast<char>(block[i] ^ 0x5c);
    }
    inner.append(message.data(), message.size());
    return hash(outer + hash(inner));
}

}  // namespace crypto_detail

// HMAC-SHA256(key, message): 32 raw bytes.
inline std::string hmacSha256(std::string_view key, std::string_view message) {
    return crypto_detail::hmac([](std::string_view d) { return sha256(d); }, key, message);
}

// HMAC-SHA1(key, message): 20 raw bytes.
inline std::string hmacSha1(std::string_view key, std::string_view message) {
    return crypto_detail::hmac([](std::string_view d) { return sha1(d); }, key, message);
}

// Lower-case hex of `bytes`: two characters a byte.
inline std::string hex(std::string_view bytes) {
    constexpr char kHexDigits[] = "0123456789abcdef";
    std::string out;
    out.reserve(2 * bytes.size());
    for (char ch : bytes) {
        const auto b = static_cast<unsigned char>(ch);
        out += kHexDigits[b >> 4];
        out += kHexDigits[b & 0x0F];
    }
    return out;
}

// Standard Base64 with padding (RFC 4648 section 4), on one line, as HTTP Basic auth wants it.
inline std::string base64(std::string_view bytes) {
    constexpr char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    out.reserve(4 * ((bytes.size() + 2) / 3));
    std::size_t i = 0;
    for (; i + 3 <= bytes.size(); i += 3) {
        const std::uint32_t n = (std::uint32_t(static_cast<unsigned char>(bytes[i])) << 16) |
                                (std::uint32_t(static_cast<unsigned char>(bytes[i + 1])) << 8) |
                                std::uint32_t(static_cast<unsigned char>(bytes[i + 2]));
        out += alphabet[(n >> 18) & 63];
        out += alphabet[(n >> 12) & 63];
        out += alphabet[(n >> 6) & 63];
        out += alphabet[n & 63];
    }
    const std::size_t rest = bytes.size() - i;
    if (rest > 0) {
        std::uint32_t n = std::uint32_t(static_cast<unsigned char>(bytes[i])) << 16;
        if (rest == 2) n |= std::uint32_t(static_cast<unsigned char>(bytes[i + 1])) << 8;
        out += alphabet[(n >> 18) & 63];
        out += alphabet[(n >> 12) & 63];
        out += rest == 2 ? alphabet[(n >> 6) & 63] : '=';
        out += '=';
    }
    return out;
}

// hex(SHA-256(data)): 64 characters.
inline std::string sha256Hex(std::string_view data) { return hex(sha256(data)); }

// hex(HMAC-SHA256(key, message)): 64 characters.
inline std::string hmacSha256Hex(std::string_view key, std::string_view message) { return hex(hmacSha256(key, message)); }

// base64(HMAC-SHA1(key, message)): 28 characters.
inline std::string hmacSha1Base64(std::string_view key, std::string_view message) { return base64(hmacSha1(key, message)); }

// Whether `expected` and `offered` are equal, taking a time that depends only on their lengths
// (which are public: a signature's length is fixed), so the time taken tells an attacker nothing
// about how much of a forged signature was right.
inline bool constantTimeEquals(std::string_view expected, std::string_view offered) {
    if (expected.size() != offered.size()) return false;
    volatile unsigned char difference = 0;   // volatile: the loop must not stop at the first difference
    for (std::size_t i = 0; i < expected.size(); ++i)
        difference = static_cast<unsigned char>(difference | (static_cast<unsigned char>(expected[i]) ^
                                                              static_cast<unsigned char>(offered[i])));
    return difference == 0;
}

}  // namespace tinko::sdk::helpers
