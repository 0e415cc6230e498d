/*
 * Broken on purpose, and written in plain C against abi.h alone (a plugin needs no C++ and no SDK
 * helper): classify reports TINKO_OK with an answer that is not JSON. The checker must catch it.
 * Everything else behaves: describe answers, the other operations refuse with an error.
 */
#include "tinko/abi.h"

#include <string.h>

struct tinko_instance {
    const tinko_host_services* host;
};

static struct tinko_instance the_instance;

static tinko_str text(const char* s) {
    tinko_str out = {s, strlen(s)};
    return out;
}

static tinko_status refuse(tinko_instance* self, tinko_result* result, uint32_t category, const char* message) {
    tinko_error error;
    memset(&error, 0, sizeof error);
    error.struct_size = sizeof error;
    error.category = category;
    error.message = text(message);
    self->host->result_set_error(result, &error);
    return TINKO_ERROR;
}

static tinko_status describe(tinko_instance* self, tinko_str request, tinko_result* result) {
    (void)request;
    self->host->result_set_json(result, text("{\"display_name\":\"Answers not JSON\",\"operations\":[\"classify\"]}"));
    return TINKO_OK;
}

static tinko_status validate_config(tinko_instance* self, tinko_str request, tinko_result* result) {
    (void)request;
    return refuse(self, result, TINKO_ERR_INVALID_CONFIG, "config: this plugin accepts no configuration");
}

static tinko_status classify(tinko_instance* self, tinko_str request, tinko_result* result) {
    (void)request;
    self->host->result_set_json(result, text("generic_decline"));
    return TINKO_OK;
}

static tinko_status unsupported(tinko_instance* self, tinko_str request, tinko_result* result) {
    (void)request;
    return refuse(self, result, TINKO_ERR_UNSUPPORTED, "not offered");
}

static tinko_status create(const tinko_host_services* host, tinko_instance** instance, tinko_result* result) {
    (void)result;
    the_instance.host = host;
    *instance = &the_instance;
    return TINKO_OK;
}

static void destroy(tinko_instance* instance) { (void)instance; }

static const tinko_psp_operations operations = {
    sizeof(tinko_psp_operations), describe, validate_config, classify, unsupported, unsupported, unsupported,
    unsupported};

static const tinko_plugin_descriptor descriptor = {
    sizeof(tinko_plugin_descriptor), TINKO_ABI_MAJOR, TINKO_ABI_MINOR, TINKO_KIND_PSP, "test-answers-not-json",
    "1.0.0", "[\"classify\"]", "{\"type\":\"object\"}", create, destroy, &operations, NULL};

TINKO_EXPORT const tinko_plugin_descriptor* tinko_plugin_entry(void) { return &descriptor; }
