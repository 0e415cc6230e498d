#include "plugins/PluginInstance.h"

#include "plugins/HostServices.h"

#include <algorithm>

// The host's definition of the opaque result type: what one call answered.
struct tinko_result {
    bool jsonSet = false;
    bool errorSet = false;
    std::string json;
    tinko::plugins::PluginError error;
};

namespace tinko::plugins {

namespace {
const std::pair<Operation, const char*> kOperationNames[] = {
    {Operation::Describe, "describe"},           {Operation::ValidateConfig, "validate_config"},
    {Operation::Classify, "classify"},           {Operation::CreateCheckout, "create_checkout"},
    {Operation::RetryCharge, "retry_charge"},    {Operation::VerifyWebhook, "verify_webhook"},
    {Operation::ParseWebhook, "parse_webhook"},  {Operation::CompleteCheckout, "complete_checkout"},
    {Operation::Send, "send"},                   {Operation::ParseCallback, "parse_callback"}};

std::string text(tinko_str s) { return s.ptr ? std::string(s.ptr, s.len) : std::string(); }

void setJson(tinko_result* result, tinko_str json) {
    if (!result) return;
    result->json = text(json);
    result->jsonSet = true;
}

void setError(tinko_result* result, const tinko_error* error) {
    if (!result || !error) return;
    if (!TINKO_HAS_FIELD(error, tinko_error, message)) {   // shorter than ABI 1.0's: not read
        result->error = {TINKO_ERR_INTERNAL, false, "",
                         "the plugin reported an error in a tinko_error of struct_size " + std::to_string(error->struct_size) +
                             ", smaller than ABI 1.0's " + std::to_string(TINKO_SIZE_THROUGH(tinko_error, message)) +
                             " bytes; set struct_size = sizeof(tinko_error)"};
        result->errorSet = true;
        return;
    }
    auto category = static_cast<tinko_error_category>(error->category);
    if (category < TINKO_ERR_INVALID_INPUT || category > TINKO_ERR_OPTED_OUT) category = TINKO_ERR_INTERNAL;
    result->error = {category, error->retryable != 0, text(error->provider_code), text(error->message)};
    result->errorSet = true;
}

PluginAnswer failure(tinko_error_category category, std::string message) {
    PluginAnswer a;
    a.error = {category, false, "", std::move(message)};
    return a;
}
}  // namespace

const char* operationName(Operation op) {
    for (const auto& [o, name] : kOperationNames)
        if (o == op) return name;
    return "?";
}


const char* errorCategoryName(tinko_error_category category) {
    if (category == kErrEgressRefused) return "egress_refused";
    switch (category) {
        case TINKO_ERR_INVALID_INPUT: return "invalid_input";
        case TINKO_ERR_INVALID_CONFIG: return "invalid_config";
        case TINKO_ERR_AUTH: return "auth";
        case TINKO_ERR_PROVIDER: return "provider";
        case TINKO_ERR_NETWORK: return "network";
        case TINKO_ERR_UNSUPPORTED: return "unsupported";
        case TINKO_ERR_INTERNAL: return "internal";
        case TINKO_ERR_OPTED_OUT: return "opted_out";
    }
    return "internal";
}

void installResultSetters(tinko_host_services& services) {
    services.result_set_json = setJson;
    services.result_set_error = setError;
}

PluginInstance::PluginInstance(std::shared_ptr<PluginLibrary> library, const tinko_host_services* services)
    : library_(std::move(library)), descriptor_(copyDescriptor(*library_->descriptor())) {
    tinko_result result;
    tinko_status status = TINKO_ERROR;
    try {
        status = library_->descriptor()->create(services, &instance_, &result);
    } catch (...) {
        throw PluginLoadError("create() let an exception escape the plugin boundary");
    }
    if (status != TINKO_OK || !instance_) {
        std::string why = result.errorSet ? result.error.message : "create() failed without saying why";
        throw PluginLoadError("the plugin refused to start: " + why);
    }
}

PluginInstance::~PluginInstance() {
    try {
        library_->descriptor()->destroy(instance_);
    } catch (...) {
    }
}

tinko_operation PluginInstance::find(Operation op) const {
    const tinko_plugin_descriptor* d = library_->descriptor();
    if (d->kind == TINKO_KIND_PSP) {
        switch (op) {
            case Operation::Describe: return d->psp->describe;
            case Operation::ValidateConfig: return d->psp->validate_config;
            case Operation::Classify: return d->psp->classify;
            case Operation::CreateCheckout: return d->psp->create_checkout;
            case Operation::RetryCharge: return d->psp->retry_charge;
            case Operation::VerifyWebhook: return d->psp->verify_webhook;
            case Operation::ParseWebhook: return d->psp->parse_webhook;
            case Operation::CompleteCheckout:   // added in ABI 1.1: absent from a 1.0 plugin's table
                return TINKO_HAS_FIELD(d->psp, tinko_psp_operations, complete_checkout) ? d->psp->complete_checkout : nullptr;
            default: return nullptr;
        }
    }
    switch (op) {
        case Operation::Describe: return d->channel->describe;
        case Operation::ValidateConfig: return d->channel->validate_config;
        case Operation::Send: return d->channel->send;
        case Operation::ParseCallback: return d->channel->parse_callback;
        default: return nullptr;
    }
}

bool PluginInstance::offers(Operation op) const {
    if (!find(op)) return false;
    if (!described_ || op == Operation::Describe || op == Operation::ValidateConfig) return true;
    return std::find(described_->begin(), described_->end(), operationName(op)) != described_->end();
}

void PluginInstance::limitToDescribed(std::vector<std::string> operations) { described_ = std::move(operations); }

PluginAnswer PluginInstance::call(Operation op, const std::string& requestJson) const {
    tinko_operation fn = find(op);
    if (!fn)
        return failure(TINKO_ERR_UNSUPPORTED, std::string("a ") + kindName(descriptor_.kind) + " plugin has no " +
                                                   operationName(op) + " operation");
    if (!offers(op))
        return failure(TINKO_ERR_UNSUPPORTED, "the plugin does not offer " + std::string(operationName(op)) +
                                                  " (its describe answer does not list it in operations)");
    tinko_result result;
    tinko_status status;
    EgressRefusalScope refusals;
    try {
        status = fn(instance_, tinko_str{requestJson.data(), requestJson.size()}, &result);
    } catch (...) {
        return failure(TINKO_ERR_INTERNAL, std::string(operationName(op)) + " let an exception escape the plugin");
    }
    PluginAnswer answer;
    // The plugin saw only a transport error (and may have answered e.g. outcome "unknown"): the
    // host knows nothing left, and tells the caller what it refused and why.
    if (auto refused = refusals.refusal()) {
        answer.error = {kErrEgressRefused, false, "egress_refused", *refused};
        return answer;
    }
    if (status == TINKO_OK) {
        if (!result.jsonSet)
            return failure(TINKO_ERR_INTERNAL, std::string(operationName(op)) + " succeeded without an answer");
        answer.ok = true;
        answer.json = std::move(result.json);
        return answer;
    }
    if (!result.errorSet)
        return failure(TINKO_ERR_INTERNAL, std::string(operationName(op)) + " failed without saying why");
    answer.error = std::move(result.error);
    return answer;
}

}  // namespace tinko::plugins
