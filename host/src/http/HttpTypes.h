#pragma once
// The request and response that handlers see: plain values, independent of POCO's server classes,
// so every handler can be unit-tested by calling it with a struct.
#include <cctype>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace tinko::http {

// Who is calling, as established by the authenticator before a handler runs.
struct Caller {
    enum class Kind { Anonymous, Ops, Org } kind = Kind::Anonymous;
    long long orgId = 0;
    std::string orgSlug;
};

struct HttpRequest {
    std::string method;
    std::string path;
    std::map<std::string, std::string> query;
    std::map<std::string, std::string> headers;     // names lower-cased
    std::map<std::string, std::string> pathParams;  // from the route template, e.g. {slug}
    std::string body;
    Caller caller;

    std::optional<std::string> header(const std::string& lowerName) const {
        auto it = headers.find(lowerName);
        if (it == headers.end()) return std::nullopt;
        return it->second;
    }
    // The Content-Type's media type, lower-cased, without parameters: "application/json".
    std::string mediaType() const {
        std::string type = header("content-type").value_or("");
        type = type.substr(0, type.find(';'));
        while (!type.empty() && type.back() == ' ') type.pop_back();
        for (auto& c : type) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        return type;
    }
    const std::string& param(const std::string& name) const { return pathParams.at(name); }
    // A path parameter that must be a positive integer id; nullopt when it is not one.
    std::optional<long long> idParam(const std::string& name) const {
        const std::string& text = param(name);
        if (text.empty() || text.size() > 18 || text.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
        return std::stoll(text);
    }
};

struct HttpResponse {
    int status = 200;
    std::string contentType = "application/json";
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;

    HttpResponse& withHeader(std::string name, std::string value) {
        headers.emplace_back(std::move(name), std::move(value));
        return *this;
    }
};

}  // namespace tinko::http
