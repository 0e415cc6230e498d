#include "plugins/PluginContract.h"

#include "plugins/ConfigSchema.h"
#include "plugins/EgressPolicy.h"
#include "plugins/PluginDescriptor.h"

#include "tinko/json.hpp"

#include <algorithm>

namespace tinko::plugins {

namespace {
using tinko::json::Value;

std::string shortened(const std::string& text) { return text.size() <= 80 ? text : text.substr(0, 77) + "..."; }

// The operations a describe answer may list, by kind (describe and validate_config are always offered).
std::vector<std::string> operationsOfKind(std::uint32_t kind) {
    const std::vector<Operation> ops =
        kind == TINKO_KIND_PSP
            ? std::vector<Operation>{Operation::Describe,    Operation::ValidateConfig, Operation::Classify,
                                     Operation::CreateCheckout, Operation::RetryCharge, Operation::VerifyWebhook,
                                     Operation::ParseWebhook, Operation::CompleteCheckout}
            : std::vector<Operation>{Operation::Describe, Operation::ValidateConfig, Operation::Send, Operation::ParseCallback};
    std::vector<std::string> names;
    for (Operation op : ops) names.push_back(operationName(op));
    return names;
}

void checkStringList(const Value& answer, const char* key, std::vector<std::string>& reasons) {
    const Value* list = answer.find(key);
    if (!list) return;
    bool strings = list->isArray();
    if (strings)
        for (const Value& item : list->asArray()) strings = strings && item.isString();
    if (!strings) reasons.push_back(std::string("\"") + key + "\" must be an array of strings");
}
}  // namespace

std::vector<ContractFailure> descriptorContractFailures(const tinko_plugin_descriptor* descriptor) {
    std::vector<ContractFailure> failures;
    for (auto& reason : checkDescriptor(descriptor)) failures.push_back({kDescriptorIsSane, std::move(reason)});
    if (!failures.empty()) return failures;   // the schema check reads what the descriptor check accepted
    for (auto& reason : schemaProblems(descriptor->config_schema)) failures.push_back({kConfigSchemaIsValid, std::move(reason)});
    return failures;
}

std::vector<ContractFailure> describeContractFailures(std::uint32_t kind, const PluginAnswer& describe) {
    auto failed = [](std::string reason) { return std::vector<ContractFailure>{{kDescribeAnswersAnObject, std::move(reason)}}; };
    if (!describe.ok)
        return failed(std::string("answered with an error (") + errorCategoryName(describe.error.category) +
                      "): " + describe.error.message);
    Value answer;
    try {
        answer = tinko::json::parse(describe.json);
    } catch (const tinko::json::ParseError&) {
    }
    if (!answer.isObject()) return failed("answered something that is not a JSON object: " + shortened(describe.json));

    std::vector<std::string> reasons;
    const Value* name = answer.find("display_name");
    if (!name || !name->isString() || name->asString().empty()) reasons.push_back("the answer has no display_name string");
    if (kind == TINKO_KIND_CHANNEL) {
        const Value* channel = answer.find("channel");
        if (!channel || (*channel != Value("email") && *channel != Value("sms")))
            reasons.push_back("a channel plugin's describe must say \"channel\": \"email\" or \"sms\"");
    }
    checkStringList(answer, "operations", reasons);
    if (const Value* listed = answer.find("operations"); listed && listed->isArray()) {
        const auto known = operationsOfKind(kind);
        for (const Value& op : listed->asArray())
            if (op.isString() && std::find(known.begin(), known.end(), op.asString()) == known.end())
                reasons.push_back("\"operations\" names '" + op.asString() + "', which is no " +
                                  (kind == TINKO_KIND_PSP ? "psp" : "channel") + " operation");
    }
    checkStringList(answer, "webhook_events", reasons);
    parsePluginEgress(describe.json, reasons);

    std::vector<ContractFailure> failures;
    for (auto& reason : reasons) failures.push_back({kDescribeAnswersAnObject, std::move(reason)});
    return failures;
}

std::string reasonsOf(const std::vector<ContractFailure>& failures, const std::string& check) {
    std::string out;
    for (const auto& f : failures)
        if (f.check == check) out += (out.empty() ? "" : "; ") + f.reason;
    return out;
}

std::string contractFailureText(const std::vector<ContractFailure>& failures) {
    std::string out;
    for (std::size_t i = 0; i < failures.size(); ++i) {
        if (i == 0 || failures[i].check != failures[i - 1].check)
            out += (i ? "; " : "") + failures[i].check + ": ";
        else
            out += "; ";
        out += failures[i].reason;
    }
    return out;
}

}  // namespace tinko::plugins
