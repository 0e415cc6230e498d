#include "TwilioContract.h"

#include "PathTemplate.h"

#include <cctype>
#include <fstream>
#include <regex>
#include <sstream>
#include <stdexcept>

namespace tinko::fakes::twilio {

namespace {

using json::Value;

// Twilio's codes for the breaches it names (https://www.twilio.com/docs/api/errors).
constexpr int kUnknownOrInvalidParameter = 20001;
constexpr int kNotFound = 20404;
constexpr int kBodyRequired = 21602;
constexpr int kFromRequired = 21603;
constexpr int kToRequired = 21604;
constexpr int kInvalidStatusCallback = 21609;
constexpr int kBodyTooLong = 21617;
constexpr int kInvalidTo = 21211;
constexpr int kInvalidFrom = 21212;
constexpr int kInvalidMessagingService = 21701;

std::vector<std::string> strings(const Value& array) {
    std::vector<std::string> out;
    for (const Value& v : array.asArray()) out.push_back(v.asString());
    return out;
}

// The breach for an invalid value of `name`, with Twilio's code for that parameter.
TwilioBreach invalidValue(const std::string& name, const std::string& value, const std::string& why) {
    if (name == "To") return {400, kInvalidTo, "Invalid 'To' Phone Number: " + value + " (" + why + ")"};
    if (name == "From") return {400, kInvalidFrom, "Invalid 'From' Phone Number: " + value + " (" + why + ")"};
    if (name == "MessagingServiceSid")
        return {400, kInvalidMessagingService, "The Messaging Service Sid " + value + " is invalid (" + why + ")"};
    if (name == "StatusCallback") return {400, kInvalidStatusCallback, "Invalid StatusCallback url: " + value + " (" + why + ")"};
    return {400, kUnknownOrInvalidParameter, "Invalid parameter " + name + ": " + value.substr(0, 40) + " (" + why + ")"};
}

TwilioBreach missing(const std::vector<std::string>& names) {
    for (const std::string& name : names) {
        if (name == "To") return {400, kToRequired, "A 'To' phone number is required."};
        if (name == "From") return {400, kFromRequired, "A 'From' or 'MessagingServiceSid' parameter is required to send a message."};
        if (name == "Body") return {400, kBodyRequired, "Message body is required."};
    }
    std::string list;
    for (const std::string& name : names) list += (list.empty() ? "" : " or ") + name;
    return {400, kUnknownOrInvalidParameter, "Missing required parameter " + list + "."};
}

std::optional<std::string> valueProblem(const std::string& value, const Value& schema) {
    const std::string type = schema.getOr<std::string>("type", "");
    if (type == "integer" && !std::regex_match(value, std::regex("-?[0-9]+"))) return "must be an integer";
    if (type == "number" && !std::regex_match(value, std::regex("-?[0-9]+(\\.[0-9]+)?"))) return "must be a number";
    if (type == "boolean" && value != "true" && value != "false") return "must be true or false";
    if (type != "string") return std::nullopt;
    if (const Value* allowed = schema.find("enum")) {
        bool found = false;
        for (const Value& option : allowed->asArray()) found = found || option.asString() == value;
        if (!found) return "must be one of " + allowed->dump();
    }
    if (const Value* pattern = schema.find("pattern"); pattern && !std::regex_search(value, std::regex(pattern->asString())))
        return "must match " + pattern->asString();
    if (const Value* min = schema.find("minLength"); min && utf8Length(value) < static_cast<std::size_t>(min->asInt()))
        return "must be at least " + std::to_string(min->asInt()) + " characters";
    if (const Value* max = schema.find("maxLength"); max && utf8Length(value) > static_cast<std::size_t>(max->asInt()))
        return "must be at most " + std::to_string(max->asInt()) + " characters";
    const std::string format = schema.getOr<std::string>("format", "");
    if (format == "phone-number" && !isE164(value)) return "Tinko's contract takes E.164 numbers only, such as +14155552345";
    if (format == "uri" && !isHttpUrl(value)) return "must be an absolute http(s) URL";
    if (format == "date-time" &&
        !std::regex_match(value, std::regex("[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})")))
        return "must be an ISO 8601 date-time";
    return std::nullopt;
}

}  // namespace

std::size_t utf8Length(std::string_view text) {
    std::size_t n = 0;
    for (unsigned char c : text) n += (c & 0xC0) != 0x80;
    return n;
}

bool isE164(std::string_view number) { return std::regex_match(number.begin(), number.end(), std::regex("\\+[1-9][0-9]{1,14}")); }

bool isHttpUrl(std::string_view url) {
    return std::regex_match(url.begin(), url.end(), std::regex("https?://[^/?#\\s]+([/?#]\\S*)?"));
}

TwilioContract TwilioContract::load(const std::string& path) {
    std::ifstream file(path);
    if (!file) throw std::runtime_error("cannot read the Twilio contract " + path);
    std::stringstream text;
    text << file.rdbuf();
    const Value document = json::parse(text.str());
    TwilioContract contract;
    for (const Value& op : document.at("operations").asArray()) {
        Operation operation{op.at("method").asString(),      op.at("path").asString(),
                            op.at("operation_id").asString(), op.at("content_type").asString(),
                            op.at("path_parameters"),         op.at("parameters"),
                            strings(op.at("required")),       {},
                            {},                               op.at("response_example")};
        for (const Value& group : op.at("required_one_of").asArray()) operation.requiredOneOf.push_back(strings(group));
        for (const json::Member& limit : op.at("max_characters").asObject())
            operation.maxCharacters[limit.first] = static_cast<std::size_t>(limit.second.asInt());
        contract.operations_.push_back(std::move(operation));
    }
    contract.messageStatuses_ = strings(document.at("message_statuses"));
    return contract;
}

const TwilioContract::Operation* TwilioContract::find(std::string_view method, std::string_view path,
                                                      std::map<std::string, std::string>& pathValues) const {
    for (const Operation& op : operations_) {
        if (op.method != method) continue;
        if (auto values = matchPath(op.path, path)) {
            pathValues = std::move(*values);
            return &op;
        }
    }
    return nullptr;
}

std::optional<TwilioBreach> TwilioContract::check(const Operation& operation,
                                                  const std::map<std::string, std::string>& pathValues,
                                                  const FormPairs& form) const {
    for (const json::Member& parameter : operation.pathParameters.asObject()) {
        auto value = pathValues.find(parameter.first);
        const std::string v = value == pathValues.end() ? std::string() : value->second;
        if (auto problem = valueProblem(v, parameter.second))
            return TwilioBreach{404, kNotFound, "The requested resource " + parameter.first + "=" + v + " was not found (" + *problem + ")"};
    }

    std::map<std::string, int> given;
    for (const auto& [name, value] : form) {
        const Value* schema = operation.parameters.find(name);
        // Twilio ignores a parameter it does not know; the contract refuses it, so a misspelt
        // name (Statuscallback) cannot go unnoticed.
        if (!schema) return TwilioBreach{400, kUnknownOrInvalidParameter, "Unknown parameter: " + name};
        if (++given[name] > 1 && schema->getOr<std::string>("type", "") != "array")
            return TwilioBreach{400, kUnknownOrInvalidParameter, "Parameter " + name + " is given more than once"};
    }
    for (const std::string& name : operation.required)
        if (!given.count(name)) return missing({name});
    for (const std::vector<std::string>& group : operation.requiredOneOf) {
        bool any = false;
        for (const std::string& name : group) any = any || given.count(name);
        if (!any) return missing(group);
    }
    for (const auto& [name, value] : form) {
        const Value& schema = operation.parameters.at(name);
        const Value& valueSchema = schema.getOr<std::string>("type", "") == "array" ? schema.at("items") : schema;
        if (auto problem = valueProblem(value, valueSchema)) return invalidValue(name, value, *problem);
    }
    for (const auto& [name, max] : operation.maxCharacters) {
        for (const auto& [n, value] : form) {
            if (n != name || utf8Length(value) <= max) continue;
            if (name == "Body")
                return TwilioBreach{400, kBodyTooLong, "The concatenated message body exceeds the " + std::to_string(max) +
                                                            " character limit (" + std::to_string(utf8Length(value)) + ")."};
            return TwilioBreach{400, kUnknownOrInvalidParameter, name + " exceeds " + std::to_string(max) + " characters"};
        }
    }
    return std::nullopt;
}

}  // namespace tinko::fakes::twilio
