#pragma once
// tinko::json: a small JSON value, parser and writer for plugin authors.
//
// Why its own: every request and answer crosses the plugin ABI as JSON text, and the SDK must not
// force POCO, nlohmann or anything else on a third party. Choices that matter:
//   - Integers stay exact int64 (money is integer minor units). A number written with a fraction or
//     an exponent is a double; an integer literal too large for int64 also becomes a double, so
//     get<std::int64_t>() refuses it rather than rounding it.
//   - Objects keep their keys in insertion order and look keys up linearly: plugin messages are small,
//     and an answer reads the way it was written. Duplicate keys on input: the last one wins.
//   - Text must be UTF-8; dump() escapes what JSON requires (quotes, backslash, control characters
//     as \uXXXX) and passes every other byte through unchanged.
//   - Nesting deeper than kMaxDepth is refused, so hostile input cannot exhaust the stack.
//   - No function-local statics anywhere: see the note on unloading in sdk.hpp.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <initializer_list>
#include <iomanip>
#include <limits>
#include <locale>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

namespace tinko::json {

class Value;
using Array = std::vector<Value>;
using Member = std::pair<std::string, Value>;
using Object = std::vector<Member>;   // in insertion order; keys are unique (set() replaces)

constexpr std::size_t kMaxDepth = 256;   // arrays and objects nested inside each other

// Thrown by parse(): what is wrong, and the byte offset where it was found.
class ParseError : public std::runtime_error {
public:
    ParseError(const std::string& what, std::size_t position)
        : std::runtime_error("JSON parse error at byte " + std::to_string(position) + ": " + what),
          position_(position) {}
    std::size_t position() const { return position_; }

private:
    std::size_t position_;
};

// Thrown by accessors when a value has another type, a key or index is missing, or a number does
// not fit the type asked for.
class TypeError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

enum class Type { Null, Bool, Int, Double, String, Array, Object };   // in the order of Value's variant

inline const char* typeName(Type type) {
    const char* names[] = {"null", "a boolean", "an integer", "a number", "a string", "an array", "an object"};
    return names[static_cast<int>(type)];
}

class Value {
public:
    Value() = default;   // null
    Value(std::nullptr_t) {}
    Value(bool b) : data_(b) {}
    template <class T, std::enable_if_t<std::is_integral_v<T> && !std::is_same_v<T, bool>, int> = 0>
    Value(T n) : data_(checkedInt(n)) {}
    Value(double d) : data_(d) {}
    Value(const char* s) : data_(std::string(s)) {}   // without it, a literal would become a bool
    Value(std::string s) : data_(std::move(s)) {}
    Value(std::string_view s) : data_(std::string(s)) {}
    Value(Array a) : data_(std::move(a)) {}
    Value(Object o) : data_(std::move(o)) {}

    // Value::object({{"status", "sent"}, {"amount", 1250}}), Value::array({1, "two"}).
    static Value object(std::initializer_list<Member> members = {}) {
        Value v{Object{}};
        for (const Member& m : members) v.set(m.first, m.second);
        return v;
    }
    static Value array(std::initializer_list<Value> items = {}) { return Value(Array(items)); }

    Type type() const { return static_cast<Type>(data_.index()); }
    bool isNull() const { return type() == Type::Null; }
    bool isBool() const { return type() == Type::Bool; }
    bool isInt() const { return type() == Type::Int; }
    bool isDouble() const { return type() == Type::Double; }
    bool isNumber() const { return isInt() || isDouble(); }
    bool isString() const { return type() == Type::String; }
    bool isArray() const { return type() == Type::Array; }
    bool isObject() const { return type() == Type::Object; }

    bool asBool() const { return as<bool>(Type::Bool); }
    std::int64_t asInt() const { return as<std::int64_t>(Type::Int); }
    double asDouble() const { return isInt() ? static_cast<double>(asInt()) : as<double>(Type::Double); }
    const std::string& asString() const { return as<std::string>(Type::String); }
    const Array& asArray() const { return as<Array>(Type::Array); }
    Array& asArray() { return as<Array>(Type::Array); }
    const Object& asObject() const { return as<Object>(Type::Object); }
    Object& asObject() { return as<Object>(Type::Object); }

    // The value as T: bool, any integer type (range-checked), double, std::string, Array, Object, Value.
    template <class T>
    T get() const {
        if constexpr (std::is_same_v<T, Value>) return *this;
        else if constexpr (std::is_same_v<T, bool>) return asBool();
        else if constexpr (std::is_integral_v<T>) return narrow<T>(asInt());
        else if constexpr (std::is_floating_point_v<T>) return static_cast<T>(asDouble());
        else if constexpr (std::is_same_v<T, std::string>) return asString();
        else if constexpr (std::is_same_v<T, Array>) return asArray();
        else if constexpr (std::is_same_v<T, Object>) return asObject();
        else static_assert(sizeof(T) == 0, "json::Value::get<T>: unsupported T");
    }

    // The member `key` of an object; nullptr when this is not an object or has no such key.
    const Value* find(std::string_view key) const {
        if (!isObject()) return nullptr;
        for (const Member& m : std::get<Object>(data_))
            if (m.first == key) return &m.second;
        return nullptr;
    }
    Value* find(std::string_view key) { return const_cast<Value*>(std::as_const(*this).find(key)); }
    bool contains(std::string_view key) const { return find(key) != nullptr; }

    // The member `key`; TypeError when this is not an object or the key is missing.
    const Value& at(std::string_view key) const {
        if (const Value* v = find(key)) return *v;
        if (!isObject()) throw TypeError("expected an object, got " + std::string(typeName(type())));
        throw TypeError("missing key '" + std::string(key) + "'");
    }
    const Value& at(std::size_t index) const {
        const Array& items = asArray();
        if (index >= items.size())
            throw TypeError("index " + std::to_string(index) + " is past the end of an array of " +
                            std::to_string(items.size()));
        return items[index];
    }

    // The member `key` as T, or `fallback` when it is missing or null; TypeError when it has another type.
    template <class T>
    T getOr(std::string_view key, T fallback) const {
        const Value* v = find(key);
        return v && !v->isNull() ? v->get<T>() : fallback;
    }

    // Sets `key` (replacing an existing one in place, else appending); a null value becomes an object.
    Value& set(std::string key, Value value) {
        if (isNull()) data_ = Object{};
        if (Value* existing = find(key)) *existing = std::move(value);
        else asObject().emplace_back(std::move(key), std::move(value));
        return *this;
    }
    // The member `key`, added as null when missing; a null value becomes an object.
    Value& operator[](std::string_view key) {
        if (isNull()) data_ = Object{};
        if (Value* existing = find(key)) return *existing;
        return asObject().emplace_back(std::string(key), Value()).second;
    }
    // Appends to an array; a null value becomes an array.
    Value& push(Value item) {
        if (isNull()) data_ = Array{};
        asArray().push_back(std::move(item));
        return *this;
    }
    // Elements of an array or members of an object; 0 for anything else.
    std::size_t size() const {
        if (isArray()) return asArray().size();
        if (isObject()) return asObject().size();
        return 0;
    }

    // Equal types and contents; objects compare in order.
    bool operator==(const Value& other) const { return data_ == other.data_; }
    bool operator!=(const Value& other) const { return !(*this == other); }

    // Compact JSON text.
    std::string dump() const {
        std::string out;
        dumpTo(out);
        return out;
    }
    void dumpTo(std::string& out) const;

private:
    template <class T>
    static std::int64_t checkedInt(T n) {
        if constexpr (std::is_unsigned_v<T> && sizeof(T) >= sizeof(std::int64_t))
            if (n > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
                throw TypeError("integer " + std::to_string(n) + " does not fit a JSON int64");
        return static_cast<std::int64_t>(n);
    }
    template <class T>
    static T narrow(std::int64_t n) {
        bool fits;
        if constexpr (std::is_signed_v<T>)
            fits = n >= static_cast<std::int64_t>(std::numeric_limits<T>::min()) &&
                   n <= static_cast<std::int64_t>(std::numeric_limits<T>::max());
        else
            fits = n >= 0 && static_cast<std::uint64_t>(n) <= std::numeric_limits<T>::max();
        if (!fits) throw TypeError("integer " + std::to_string(n) + " does not fit the requested type");
        return static_cast<T>(n);
    }
    template <class T>
    const T& as(Type expected) const {
        if (type() != expected)
            throw TypeError(std::string("expected ") + typeName(expected) + ", got " + typeName(type()));
        return std::get<T>(data_);
    }
    template <class T>
    T& as(Type expected) {
        return const_cast<T&>(std::as_const(*this).as<T>(expected));
    }

    std::variant<std::nullptr_t, bool, std::int64_t, double, std::string, Array, Object> data_;
};

namespace detail {

inline void dumpString(std::string& out, std::string_view s) {
    const std::string_view controls = "\b\f\n\r\t", letters = "bfnrt";
    out += '"';
    for (char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        if (c == '"' || c == '\\') {
            out += '\\';
            out += ch;
        } else if (c >= 0x20) {
            out += ch;   // UTF-8 passes through
        } else if (std::size_t i = controls.find(ch); i != std::string_view::npos) {
            out += '\\';
            out += letters[i];
        } else {
            char escaped[8];
            std::snprintf(escaped, sizeof escaped, "\\u%04x", c);
            out += escaped;
        }
    }
    out += '"';
}

// Locale-independent (a host may have set a locale where the decimal point is a comma).
inline std::string formatDouble(double d, int precision) {
    std::ostringstream s;
    s.imbue(std::locale::classic());
    s << std::setprecision(precision) << d;
    return s.str();
}
inline bool readDouble(const std::string& text, double& out) {
    std::istringstream s(text);
    s.imbue(std::locale::classic());
    s >> out;
    return !s.fail() && std::isfinite(out);
}

inline void dumpDouble(std::string& out, double d) {
    if (!std::isfinite(d)) {   // JSON has no NaN or infinity
        out += "null";
        return;
    }
    // The shortest of 15..17 significant digits that reads back as the same double.
    std::string text;
    double back = 0;
    for (int precision = 15; precision <= 17; ++precision) {
        text = formatDouble(d, precision);
        if (readDouble(text, back) && back == d) break;
    }
    // Keep it a double when read again: 2.0 must not come back as the integer 2.
    if (text.find_first_of(".eE") == std::string::npos) text += ".0";
    out += text;
}

class Parser {
public:
    explicit Parser(std::string_view text) : text_(text) {}

    Value document() {
        skipSpace();
        Value v = value(0);
        skipSpace();
        if (pos_ != text_.size()) fail("unexpected text after the JSON value");
        return v;
    }

private:
    [[noreturn]] void fail(const std::string& what) const { throw ParseError(what, pos_); }
    bool atEnd() const { return pos_ >= text_.size(); }
    char peek() const { return atEnd() ? '\0' : text_[pos_]; }

    void skipSpace() {
        while (!atEnd() && (peek() == ' ' || peek() == '\t' || peek() == '\n' || peek() == '\r')) ++pos_;
    }
    void expect(char c) {
        if (peek() != c) fail(atEnd() ? "unexpected end of input" : std::string("expected '") + c + "'");
        ++pos_;
    }

    Value value(std::size_t depth) {
        if (atEnd()) fail("unexpected end of input");
        switch (peek()) {
            case '{': return object(depth + 1);
            case '[': return array(depth + 1);
            case '"': return Value(string());
            case 't': return literal("true", Value(true));
            case 'f': return literal("false", Value(false));
            case 'n': return literal("null", Value());
            default:
                if (peek() == '-' || (peek() >= '0' && peek() <= '9')) return number();
                fail(std::string("unexpected character '") + peek() + "'");
        }
    }

    Value literal(std::string_view word, Value v) {
        if (text_.substr(pos_, word.size()) != word) fail("unexpected character '" + std::string(1, peek()) + "'");
        pos_ += word.size();
        return v;
    }

    Value object(std::size_t depth) {
        if (depth > kMaxDepth) fail("nested deeper than " + std::to_string(kMaxDepth) + " levels");
        ++pos_;
        Object members;
        skipSpace();
        if (peek() == '}') {
            ++pos_;
            return Value(std::move(members));
        }
        for (;;) {
            skipSpace();
            if (peek() != '"') fail(atEnd() ? "unexpected end of input" : "expected a string key");
            std::string key = string();
            skipSpace();
            expect(':');
            skipSpace();
            members.emplace_back(std::move(key), value(depth));
            skipSpace();
            if (peek() == ',') {
                ++pos_;
                continue;
            }
            expect('}');
            return Value(withoutDuplicates(std::move(members)));
        }
    }

    // Duplicate keys: the last value wins, in the first one's place. Sorting indices keeps this
    // O(n log n): a hostile webhook body with many keys cannot make parsing quadratic.
    static Object withoutDuplicates(Object members) {
        std::vector<std::size_t> order(members.size());
        for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
        std::stable_sort(order.begin(), order.end(),
                         [&](std::size_t a, std::size_t b) { return members[a].first < members[b].first; });
        std::vector<bool> dropped(members.size(), false);
        bool anyDropped = false;
        for (std::size_t start = 0, end = 0; start < order.size(); start = end) {
            for (end = start + 1; end < order.size() && members[order[end]].first == members[order[start]].first;) ++end;
            if (end - start == 1) continue;
            members[order[start]].second = std::move(members[order[end - 1]].second);
            for (std::size_t k = start + 1; k < end; ++k) dropped[order[k]] = true;
            anyDropped = true;
        }
        if (!anyDropped) return members;
        Object kept;
        for (std::size_t i = 0; i < members.size(); ++i)
            if (!dropped[i]) kept.push_back(std::move(members[i]));
        return kept;
    }

    Value array(std::size_t depth) {
        if (depth > kMaxDepth) fail("nested deeper than " + std::to_string(kMaxDepth) + " levels");
        ++pos_;
        Array items;
        skipSpace();
        if (peek() == ']') {
            ++pos_;
            return Value(std::move(items));
        }
        for (;;) {
            skipSpace();
            items.push_back(value(depth));
            skipSpace();
            if (peek() == ',') {
                ++pos_;
                continue;
            }
            expect(']');
            return Value(std::move(items));
        }
    }

    Value number() {
        const std::size_t start = pos_;
        const bool negative = peek() == '-';
        if (negative) ++pos_;
        if (peek() == '0') ++pos_;
        else if (peek() >= '1' && peek() <= '9') digits();
        else fail("expected a digit");
        bool integral = true;
        if (peek() == '.') {
            ++pos_, integral = false;
            if (!digits()) fail("expected a digit after the decimal point");
        }
        if (peek() == 'e' || peek() == 'E') {
            ++pos_, integral = false;
            if (peek() == '+' || peek() == '-') ++pos_;
            if (!digits()) fail("expected a digit in the exponent");
        }
        const std::string_view token = text_.substr(start, pos_ - start);
        if (integral) {
            // Accumulate the magnitude unsigned, so INT64_MIN (one more than INT64_MAX) fits too.
            const std::uint64_t limit = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()) + negative;
            std::uint64_t magnitude = 0;
            bool fits = true;
            for (char c : token.substr(negative ? 1 : 0)) {
                const auto digit = static_cast<std::uint64_t>(c - '0');
                if (magnitude > (limit - digit) / 10) { fits = false; break; }
                magnitude = magnitude * 10 + digit;
            }
            if (fits)
                return Value(negative ? static_cast<std::int64_t>(0 - magnitude) : static_cast<std::int64_t>(magnitude));
        }
        double d = 0;
        if (!readDouble(std::string(token), d)) {
            pos_ = start;
            fail("number out of range");
        }
        return Value(d);
    }

    bool digits() {
        const std::size_t start = pos_;
        while (peek() >= '0' && peek() <= '9') ++pos_;
        return pos_ > start;
    }

    unsigned hex4() {
        unsigned code = 0;
        for (int i = 0; i < 4; ++i, ++pos_) {
            const char c = peek();
            code <<= 4;
            if (c >= '0' && c <= '9') code |= static_cast<unsigned>(c - '0');
            else if (c >= 'a' && c <= 'f') code |= static_cast<unsigned>(c - 'a' + 10);
            else if (c >= 'A' && c <= 'F') code |= static_cast<unsigned>(c - 'A' + 10);
            else fail("expected four hex digits after \\u");
        }
        return code;
    }

    static void appendUtf8(std::string& out, unsigned code) {
        if (code < 0x80) return out.push_back(static_cast<char>(code));
        const int continuations = code < 0x800 ? 1 : code < 0x10000 ? 2 : 3;
        const unsigned leadMarks[] = {0, 0xC0, 0xE0, 0xF0};
        out += static_cast<char>(leadMarks[continuations] | (code >> (6 * continuations)));
        for (int i = continuations - 1; i >= 0; --i) out += static_cast<char>(0x80 | ((code >> (6 * i)) & 0x3F));
    }

    // One UTF-8 sequence starting at pos_, copied to `out`; refuses overlong forms, surrogates and
    // code points past U+10FFFF.
    void utf8Sequence(std::string& out) {
        const auto lead = static_cast<unsigned char>(peek());
        const std::size_t length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 0;
        if (length == 0 || lead > 0xF4) fail("invalid UTF-8");
        unsigned code = lead & (0x3F >> (length - 1));
        for (std::size_t i = 1; i < length; ++i) {
            const auto c = static_cast<unsigned char>(pos_ + i < text_.size() ? text_[pos_ + i] : 0);
            if ((c & 0xC0) != 0x80) fail("invalid UTF-8");
            code = (code << 6) | (c & 0x3F);
        }
        const unsigned smallest[] = {0, 0, 0x80, 0x800, 0x10000};
        if (code < smallest[length] || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) fail("invalid UTF-8");
        out.append(text_.substr(pos_, length));
        pos_ += length;
    }

    std::string string() {
        ++pos_;   // the opening quote
        std::string out;
        for (;;) {
            if (atEnd()) fail("unterminated string");
            const auto c = static_cast<unsigned char>(peek());
            if (c == '"') {
                ++pos_;
                return out;
            }
            if (c < 0x20) fail("control character in a string (escape it)");
            if (c >= 0x80) {
                utf8Sequence(out);
            } else if (c != '\\') {
                out += static_cast<char>(c);
                ++pos_;
            } else {
                ++pos_;
                escape(out);
            }
        }
    }

    // The escape after a backslash at pos_, decoded into `out`.
    void escape(std::string& out) {
        const char e = peek();
        ++pos_;
        const std::string_view escapes = "\"\\/bfnrt", meanings = "\"\\/\b\f\n\r\t";
        if (e != 'u') {
            const std::size_t which = escapes.find(e);
            if (which == std::string_view::npos) {
                --pos_;
                fail("invalid escape");
            }
            out += meanings[which];
            return;
        }
        unsigned code = hex4();
        if (code >= 0xDC00 && code <= 0xDFFF) fail("unpaired low surrogate in \\u escape");
        if (code >= 0xD800 && code <= 0xDBFF) {
            if (text_.substr(pos_, 2) != "\\u") fail("unpaired high surrogate in \\u escape");
            pos_ += 2;
            const unsigned low = hex4();
            if (low < 0xDC00 || low > 0xDFFF) fail("unpaired high surrogate in \\u escape");
            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
        }
        appendUtf8(out, code);
    }

    std::string_view text_;
    std::size_t pos_ = 0;
};

}  // namespace detail

inline void Value::dumpTo(std::string& out) const {
    switch (type()) {
        case Type::Null: out += "null"; break;
        case Type::Bool: out += asBool() ? "true" : "false"; break;
        case Type::Int: out += std::to_string(asInt()); break;
        case Type::Double: detail::dumpDouble(out, std::get<double>(data_)); break;
        case Type::String: detail::dumpString(out, asString()); break;
        case Type::Array: {
            out += '[';
            const char* separator = "";
            for (const Value& item : asArray()) out += separator, item.dumpTo(out), separator = ",";
            out += ']';
            break;
        }
        case Type::Object: {
            out += '{';
            const char* separator = "";
            for (const Member& m : asObject()) {
                out += separator;
                detail::dumpString(out, m.first);
                out += ':';
                m.second.dumpTo(out);
                separator = ",";
            }
            out += '}';
            break;
        }
    }
}

// Parses one JSON document (surrounding whitespace allowed); throws ParseError with the position.
inline Value parse(std::string_view text) { return detail::Parser(text).document(); }

}  // namespace tinko::json
