#pragma once
// ABI 1.0's structs, frozen: what a plugin built years ago against the 1.0 SDK was compiled with.
// The old-abi-psp test plugins include this instead of tinko/abi.h, so they keep 1.0's layout (and
// 1.1's operation table) however abi.h grows: the host must honour their struct_size, never ours.
// Copied from abi.h at ABI 1.0 (tests/sdk/abi-layout-1.0.txt records the same layout).
#include <stddef.h>
#include <stdint.h>

namespace abi10 {

struct str {
    const char* ptr;
    size_t len;
};
enum status { OK = 0, ERROR = 1 };
enum category { INVALID_INPUT = 1, INVALID_CONFIG = 2, AUTH = 3, PROVIDER = 4, NETWORK = 5, UNSUPPORTED = 6, INTERNAL = 7 };
struct error {
    uint32_t struct_size;
    uint32_t category;
    uint32_t retryable;
    str provider_code;
    str message;
};
struct result;
struct header {
    str name;
    str value;
};
struct http_request {
    uint32_t struct_size;
    str method;
    str url;
    const header* headers;
    size_t header_count;
    str body;
    uint32_t timeout_ms;
};
struct http_response {
    uint32_t struct_size;
    int32_t status;
    const header* headers;
    size_t header_count;
    str body;
    str transport_error;
    void* host_data;
};
struct stream;
struct host_services {
    uint32_t struct_size;
    void* ctx;
    void (*result_set_json)(result* result, str json);
    void (*result_set_error)(result* result, const error* error);
    status (*http_request)(void* ctx, const http_request* request, http_response* response);
    void (*http_response_free)(void* ctx, http_response* response);
    status (*stream_open)(void* ctx, str host, uint16_t port, uint32_t tls_now, uint32_t timeout_ms, stream** s, str* error);
    status (*stream_write)(stream* s, str data);
    status (*stream_read)(stream* s, char* buffer, size_t capacity, size_t* received);
    status (*stream_start_tls)(stream* s, str server_name);
    str (*stream_error)(stream* s);
    void (*stream_close)(stream* s);
    void (*log)(void* ctx, uint32_t level, str message);
    int64_t (*now_unix_ms)(void* ctx);
    status (*random_bytes)(void* ctx, uint8_t* out, size_t length);
};
struct instance;
typedef status (*operation)(instance* self, str request_json, result* result);
struct psp_operations {   // 1.0's table: it ends before complete_checkout
    uint32_t struct_size;
    operation describe;
    operation validate_config;
    operation classify;
    operation create_checkout;
    operation retry_charge;
    operation verify_webhook;
    operation parse_webhook;
};
struct psp_operations_1_1 {   // 1.1 appended complete_checkout
    psp_operations v10;
    operation complete_checkout;
};
enum kind { KIND_PSP = 1 };
struct plugin_descriptor {
    uint32_t struct_size;
    uint16_t abi_major;
    uint16_t abi_minor;
    uint32_t kind;
    const char* name;
    const char* version;
    const char* capabilities;
    const char* config_schema;
    status (*create)(const host_services* host, instance** out, result* result);
    void (*destroy)(instance* instance);
    const psp_operations* psp;
    const void* channel;
};

static_assert(sizeof(error) == 48 && sizeof(http_request) == 80 && sizeof(http_response) == 64 &&
                  sizeof(host_services) == 120 && sizeof(psp_operations) == 64 && sizeof(psp_operations_1_1) == 72 &&
                  sizeof(plugin_descriptor) == 80,
              "ABI 1.0's layout on LP64");

}  // namespace abi10
