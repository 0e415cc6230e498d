#include "http/JsonSafety.h"

#include "util/Utf8.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <cctype>

namespace tinko::http {

namespace {
const char* kInt64Range = "must be an integer from -9223372036854775808 to 9223372036854775807";

// True when the digits (no sign, no leading zeros) exceed int64's magnitude for that sign.
bool beyondInt64(const std::string& digits, bool negative) {
    const std::string limit = negative ? "9223372036854775808" : "9223372036854775807";
    std::size_t first = digits.find_first_not_of('0');
    const std::string significant = first == std::string::npos ? "0" : digits.substr(first);
    if (significant.size() != limit.size()) return significant.size() > limit.size();
    return significant > limit;
}

// Where the scanner is: one frame per open object or array.
struct Frame {
    bool object;
    std::string key;          // objects: the current member's name
    std::size_t index = 0;    // arrays: the current element
    bool expectingKey = true;
};

std::string pathOf(const std::vector<Frame>& frames) {
    std::string path;
    for (const auto& f : frames) {
        if (f.object) path += (path.empty() ? "" : ".") + f.key;
        else path += "[" + std::to_string(f.index) + "]";
    }
    return path.empty() ? "(body)" : path;
}

struct ScannedString {
    std::string text;     // escapes kept, except \" and \\: enough to name a field
    bool hasNul = false;  // holds \u0000
};

// Reads a JSON string starting at the opening quote and moves `i` past the closing quote.
ScannedString readString(const std::string& s, std::size_t& i) {
    ScannedString out;
    for (++i; i < s.size() && s[i] != '"'; ++i) {
        if (s[i] == '\\' && i + 1 < s.size()) {
            ++i;
            if (s[i] == 'u' && s.compare(i + 1, 4, "0000") == 0) out.hasNul = true;
            if (s[i] != '"' && s[i] != '\\') out.text += '\\';
        }
        out.text += s[i];
    }
    ++i;
    return out;
}

// The first integer literal outside int64, member name holding \u0000 (which POCO's parser
// would cut silently) or nesting deeper than kMaxDepth (POCO builds and frees the tree
// recursively), if any. Tolerant: on text that is not JSON it stops quietly and leaves the
// verdict to the parser.
std::optional<Problem> firstUnsafeToken(const std::string& s) {
    std::vector<Frame> frames;
    for (std::size_t i = 0; i < s.size();) {
        const char c = s[i];
        if (c == '{' || c == '[') {
            if (frames.size() == kMaxJsonDepth)
                return problems::invalidJson("the request body nests objects and arrays deeper than " +
                                             std::to_string(kMaxJsonDepth) + " levels");
            frames.push_back({c == '{', "", 0, true});
            ++i;
        } else if (c == '}' || c == ']') {
            if (frames.empty()) return std::nullopt;
            frames.pop_back();
            ++i;
        } else if (c == ',') {
            if (frames.empty()) return std::nullopt;
            if (frames.back().object) frames.back().expectingKey = true;
            else ++frames.back().index;
            ++i;
        } else if (c == ':') {
            if (frames.empty()) return std::nullopt;
            frames.back().expectingKey = false;
            ++i;
        } else if (c == '"') {
            ScannedString text = readString(s, i);
            if (!frames.empty() && frames.back().object && frames.back().expectingKey) {
                frames.back().key = std::move(text.text);
                if (text.hasNul)
                    return problems::validation({{pathOf(frames), "a member name must not contain the NUL character (\\u0000)"}});
            }
        } else if (c == '-' || std::isdigit(static_cast<unsigned char>(c))) {
            const bool negative = c == '-';
            std::size_t start = negative ? i + 1 : i;
            std::size_t end = start;
            while (end < s.size() && std::isdigit(static_cast<unsigned char>(s[end]))) ++end;
            const bool integer = end >= s.size() || (s[end] != '.' && s[end] != 'e' && s[end] != 'E');
            if (integer && end > start && beyondInt64(s.substr(start, end - start), negative))
                return problems::validation({{pathOf(frames), kInt64Range}});
            i = end;
            while (i < s.size() && (std::isalnum(static_cast<unsigned char>(s[i])) || s[i] == '.' || s[i] == '+' || s[i] == '-')) ++i;
        } else {
            ++i;   // whitespace, true, false, null
        }
    }
    return std::nullopt;
}

void collectNuls(const Poco::Dynamic::Var& value, const std::string& path, std::vector<FieldError>& errors) {
    static const std::string nul(1, '\0');
    static const char* message = "must not contain the NUL character (\\u0000)";
    if (value.type() == typeid(Poco::JSON::Object::Ptr)) {
        const auto object = value.extract<Poco::JSON::Object::Ptr>();
        for (const auto& name : object->getNames()) {
            const std::string field = (path.empty() ? "" : path + ".") + name;
            if (name.find(nul) != std::string::npos) errors.push_back({util::toValidUtf8(field), message});
            else collectNuls(object->get(name), field, errors);
        }
    } else if (value.type() == typeid(Poco::JSON::Array::Ptr)) {
        const auto array = value.extract<Poco::JSON::Array::Ptr>();
        for (std::size_t i = 0; i < array->size(); ++i)
            collectNuls(array->get(static_cast<unsigned>(i)), path + "[" + std::to_string(i) + "]", errors);
    } else if (value.isString() && value.extract<std::string>().find(nul) != std::string::npos) {
        errors.push_back({path.empty() ? "(body)" : path, message});
    }
}
}  // namespace

std::optional<Problem> unsafeJsonText(const std::string& json) {
    if (auto at = util::firstInvalidUtf8(json))
        return problems::invalidJson("the request body is not valid UTF-8 (first bad byte at offset " + std::to_string(*at) + ")");
    if (auto problem = firstUnsafeToken(json)) return problem;
    return std::nullopt;
}

std::vector<FieldError> nulCharacterErrors(const Poco::Dynamic::Var& document) {
    std::vector<FieldError> errors;
    collectNuls(document, "", errors);
    return errors;
}

}  // namespace tinko::http
