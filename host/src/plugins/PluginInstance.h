#pragma once
// A created plugin instance and the one way the host calls it: JSON in, JSON or a structured
// error out. The host's side of tinko_result lives here too.
#include "plugins/PluginDescriptor.h"
#include "plugins/PluginLibrary.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace tinko::plugins {

enum class Operation { Describe, ValidateConfig, Classify, CreateCheckout, RetryCharge, VerifyWebhook, ParseWebhook, CompleteCheckout, Send, ParseCallback };

const char* operationName(Operation op);

struct PluginError {
    tinko_error_category category = TINKO_ERR_INTERNAL;
    bool retryable = false;
    std::string providerCode;
    std::string message;
};

struct PluginAnswer {
    bool ok = false;
    std::string json;       // when ok
    PluginError error;      // when not
};

// The host's own category for a call its egress policy refused (never sent by a plugin: setError
// maps unknown categories to internal). Its message is the host's, naming the host and the setting.
constexpr tinko_error_category kErrEgressRefused = static_cast<tinko_error_category>(100);

const char* errorCategoryName(tinko_error_category category);

// Points the result setters of `services` at the host's tinko_result; every table the host hands
// a plugin goes through this.
void installResultSetters(tinko_host_services& services);

class PluginInstance {
public:
    // Calls the plugin's create(); throws PluginLoadError carrying the plugin's own error.
    PluginInstance(std::shared_ptr<PluginLibrary> library, const tinko_host_services* services);
    ~PluginInstance();
    PluginInstance(const PluginInstance&) = delete;
    PluginInstance& operator=(const PluginInstance&) = delete;

    // Never throws: a plugin that fails, lacks the operation or throws answers with an error.
    PluginAnswer call(Operation op, const std::string& requestJson) const;
    // True when the plugin has the operation and, if its describe answer lists `operations`, lists
    // it there (describe and validate_config are always offered). The SDK fills every slot of the
    // table, so the list is what says an operation was left out.
    bool offers(Operation op) const;
    // Limits the instance to the operations its describe answer lists; called once, before it serves.
    void limitToDescribed(std::vector<std::string> operations);

    const PluginDescriptor& descriptor() const { return descriptor_; }
    const PluginLibrary& library() const { return *library_; }

private:
    tinko_operation find(Operation op) const;

    std::shared_ptr<PluginLibrary> library_;
    PluginDescriptor descriptor_;
    tinko_instance* instance_ = nullptr;
    std::optional<std::vector<std::string>> described_;   // unset: describe listed no operations
};

}  // namespace tinko::plugins
