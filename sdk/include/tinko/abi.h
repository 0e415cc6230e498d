/*
 * Tinko plugin ABI, version 1.3.
 *   1.0  the first version.
 *   1.1  added tinko_psp_operations.complete_checkout and TINKO_ERR_OPTED_OUT.
 *   1.2  added no struct field: create_checkout and retry_charge requests carry "webhook_url"
 *        (JSON, additive), capabilities are documented, and the struct_size rule below is
 *        enforced by the host at run time.
 *   1.3  added no struct field (JSON only): the capability "save_payment_method" with
 *        create_checkout's "mode": "setup", the parse_webhook event "payment_method_saved",
 *        decline advice ("advice_code", "network_advice_code", "network_decline_code",
 *        "card_network", "card_fingerprint") on payment_failed events and declined retry_charge
 *        answers, and "already_paid" on retry_charge answers.
 *
 * The whole boundary between tinko-host and a plugin (a shared library) is this C header: plugin
 * authors use another compiler, standard library or POCO than the host, and only plain C
 * survives that. No C++ type, exception or allocator crosses it.
 *
 * Rules that keep it stable:
 *   - A plugin exports exactly one symbol, tinko_plugin_entry(), returning its descriptor.
 *   - The host loads a plugin when the plugin's ABI major equals TINKO_ABI_MAJOR and its minor
 *     is not newer than the host's TINKO_ABI_MINOR; anything else is refused with the reason.
 *   - Structs only ever grow at the end, and carry their own size in `struct_size`, so either
 *     side can tell which fields the other one knows (see "The struct_size rule" below).
 *   - Requests and results are UTF-8 JSON passed as {ptr, len}; their shapes are documented with
 *     each operation below. Unknown JSON fields must be ignored by both sides.
 *   - Every operation returns a tinko_status; on TINKO_ERROR it has reported a tinko_error.
 *
 * The struct_size rule (a minor version only appends fields; a new minor never moves one):
 *   - Whoever allocates a struct sets struct_size = sizeof(that struct) as it was built, and the
 *     other side honours it. A field is there only when TINKO_HAS_FIELD(ptr, type, field) says so:
 *     struct_size >= offsetof(type, field) + sizeof(field). Never compare struct_size with sizeof.
 *   - Into a struct the plugin allocated (tinko_http_response on its stack) the host writes at
 *     most min(the plugin's struct_size, the host's sizeof) bytes, and leaves struct_size as the
 *     plugin set it. Fields the plugin's struct lacks it simply does not get.
 *   - A struct the plugin passes in (tinko_error, tinko_http_request, the descriptor and its
 *     operation table) is read only up to its struct_size; a field past it counts as absent (NULL,
 *     0). A struct_size smaller than ABI 1.0's struct is refused as an error, never read.
 *   - A plugin checks the host's tinko_host_services the same way before it uses a service
 *     added after 1.0.
 *   Compatibility promise: a host of ABI 1.N loads and runs every plugin built for 1.0 .. 1.N
 *   unchanged: it never calls an operation a plugin's table lacks, never reads or writes a field
 *   past a plugin's struct_size, and sends only JSON fields a plugin may ignore. A layout change
 *   without a new minor (and a new tests/sdk/abi-layout-<major>.<minor>.txt beside the old ones)
 *   fails the test suite (sdk.AbiLayoutTest).
 *
 * Ownership is stated on every type ("owner:"). In short: what the host lends is valid for the
 * call only; results go to the host through setters that copy; what the plugin creates is freed
 * only by the plugin; what a host service returns is freed only through that service.
 *
 * Threads: the host calls operations of one instance from many threads at once; a plugin keeps
 * its own state thread-safe. A plugin starts no threads and opens no sockets of its own: all I/O
 * goes through the host services, which own TLS, CA verification, timeouts and metrics.
 */
#ifndef TINKO_ABI_H
#define TINKO_ABI_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define TINKO_ABI_MAJOR 1
#define TINKO_ABI_MINOR 3

/* Whether the struct at `ptr` (any ABI struct: it starts with uint32_t struct_size) holds `field`
 * of `type`, as whoever allocated it was built. The one size check of the boundary: use it, never
 * a hand-written offsetof sum. */
#define TINKO_HAS_FIELD(ptr, type, field) ((ptr) != NULL && (size_t)(ptr)->struct_size >= TINKO_SIZE_THROUGH(type, field))
/* The struct_size of a `type` that ends with `field`: e.g. ABI 1.0's tinko_psp_operations is
 * TINKO_SIZE_THROUGH(tinko_psp_operations, parse_webhook). */
#define TINKO_SIZE_THROUGH(type, field) (offsetof(type, field) + sizeof(((const type*)NULL)->field))

#if defined(__GNUC__)
#define TINKO_EXPORT __attribute__((visibility("default")))
#else
#define TINKO_EXPORT
#endif

/* ---- Values -------------------------------------------------------------------------------- */

/* A byte string view; not NUL-terminated. owner: whoever passed it; valid for that call only. */
typedef struct tinko_str {
    const char* ptr;
    size_t len;
} tinko_str;

/* Result of every operation and host service. */
typedef enum tinko_status {
    TINKO_OK = 0,
    TINKO_ERROR = 1
} tinko_status;

typedef enum tinko_error_category {
    TINKO_ERR_INVALID_INPUT = 1,    /* the request JSON is malformed or misses a field */
    TINKO_ERR_INVALID_CONFIG = 2,   /* the org's configuration is missing or wrong */
    TINKO_ERR_AUTH = 3,             /* the provider refused the credentials, or a signature is bad */
    TINKO_ERR_PROVIDER = 4,         /* the provider answered with an error */
    TINKO_ERR_NETWORK = 5,          /* the provider could not be reached: the outcome is unknown */
    TINKO_ERR_UNSUPPORTED = 6,      /* this plugin does not offer the operation */
    TINKO_ERR_INTERNAL = 7,         /* a bug in the plugin (e.g. an exception caught at the boundary) */
    TINKO_ERR_OPTED_OUT = 8         /* 1.1: the recipient unsubscribed from this sender; send them nothing more */
} tinko_error_category;

/* A structured error. owner: the plugin; the host copies it inside result_set_error(), reading
 * up to its struct_size (below ABI 1.0's: the host records an internal error saying so instead). */
typedef struct tinko_error {
    uint32_t struct_size;           /* sizeof(tinko_error) as the plugin was built */
    uint32_t category;              /* a tinko_error_category */
    uint32_t retryable;             /* 1 when the same call may succeed later, else 0 */
    tinko_str provider_code;        /* the provider's own code, e.g. "card_declined"; may be empty */
    tinko_str message;              /* for people; never a secret */
} tinko_error;

/* Where an operation puts its answer. owner: the host; opaque; valid for the call only. */
typedef struct tinko_result tinko_result;

/* ---- Host services ------------------------------------------------------------------------- */

/* owner: whoever passed it; valid for the call only. */
typedef struct tinko_header {
    tinko_str name;
    tinko_str value;
} tinko_header;

/* An outbound HTTP(S) request. owner: the plugin; the host reads it during http_request only,
 * up to its struct_size (below ABI 1.0's: refused with a transport_error, nothing is sent). */
typedef struct tinko_http_request {
    uint32_t struct_size;           /* sizeof(tinko_http_request) as the plugin was built */
    tinko_str method;               /* "GET", "POST", ... */
    tinko_str url;                  /* absolute http(s) URL; declared hosts over https, others (and
                                       plain http) only where the host's ops allow (describe) */
    const tinko_header* headers;
    size_t header_count;
    tinko_str body;
    uint32_t timeout_ms;            /* total deadline; 0 = the host's default (30 s), never more */
} tinko_http_request;

/* The answer to an outbound request. The plugin allocates it (e.g. on its stack) and sets
 * struct_size = sizeof(tinko_http_response) before http_request; the host fills the fields that
 * struct_size covers and leaves struct_size alone. What the fields point to is the host's, valid
 * until http_response_free(). A struct_size of 0 is taken as ABI 1.0's size (1.0 hosts set it, so
 * 1.0 plugins may leave it 0) and set so; any other below 1.0's is refused: nothing is sent or written. */
typedef struct tinko_http_response {
    uint32_t struct_size;           /* set by the plugin; the host never changes it */
    int32_t status;                 /* HTTP status; 0 when no answer came (see transport_error) */
    const tinko_header* headers;    /* names lower-cased */
    size_t header_count;
    tinko_str body;
    tinko_str transport_error;      /* why no answer came: connect, TLS, timeout, egress refused,
                                       body over the host's cap; else empty */
    void* host_data;                /* the host's; do not touch */
} tinko_http_response;

/* An outbound TCP connection (e.g. SMTP). owner: the host; opaque; ended with stream_close(). */
typedef struct tinko_stream tinko_stream;

typedef enum tinko_log_level {
    TINKO_LOG_DEBUG = 0,
    TINKO_LOG_INFO = 1,
    TINKO_LOG_WARN = 2,
    TINKO_LOG_ERROR = 3
} tinko_log_level;

/*
 * What the host offers a plugin. owner: the host; valid from create() until destroy() returns.
 * `ctx` is passed back as the first argument of every service.
 */
typedef struct tinko_host_services {
    uint32_t struct_size;
    void* ctx;

    /* Results of the operation being answered; both copy their arguments. */
    void (*result_set_json)(tinko_result* result, tinko_str json);
    void (*result_set_error)(tinko_result* result, const tinko_error* error);

    /* HTTP(S). Returns TINKO_OK when an HTTP answer came (any status), TINKO_ERROR when none did;
     * in both cases *response is filled and must be released with http_response_free(). */
    tinko_status (*http_request)(void* ctx, const tinko_http_request* request, tinko_http_response* response);
    void (*http_response_free)(void* ctx, tinko_http_response* response);

    /* TCP with optional TLS. `tls_now` = 1 starts TLS at once (implicit TLS); stream_start_tls()
     * upgrades later (STARTTLS). Reads return what is available (at least 1 byte) or fail on
     * timeout/close. On TINKO_ERROR, stream_error() says why (owner: host; valid until the next
     * call on that stream). stream_open failing sets *stream to NULL and error to the reason
     * (owner: host; valid until the next stream_open on this thread). `timeout_ms` bounds the connect
     * and each read; the whole stream lives at most the host's total deadline. The egress policy
     * applies as for http_request (tls_now = 0 is a STARTTLS start: to a host ops did not allow,
     * only a few hundred bytes may be written before stream_start_tls). */
    tinko_status (*stream_open)(void* ctx, tinko_str host, uint16_t port, uint32_t tls_now, uint32_t timeout_ms,
                                tinko_stream** stream, tinko_str* error);
    tinko_status (*stream_write)(tinko_stream* stream, tinko_str data);
    tinko_status (*stream_read)(tinko_stream* stream, char* buffer, size_t capacity, size_t* received);
    tinko_status (*stream_start_tls)(tinko_stream* stream, tinko_str server_name);
    tinko_str (*stream_error)(tinko_stream* stream);
    void (*stream_close)(tinko_stream* stream);

    /* Structured log line from the plugin; never pass secrets. */
    void (*log)(void* ctx, uint32_t level, tinko_str message);
    /* UTC wall clock, milliseconds since the Unix epoch (tests may move it). */
    int64_t (*now_unix_ms)(void* ctx);
    /* Cryptographically strong random bytes. */
    tinko_status (*random_bytes)(void* ctx, uint8_t* out, size_t length);
} tinko_host_services;

/* ---- Operations ---------------------------------------------------------------------------- */

/* A live plugin instance. owner: the plugin; created by create(), freed only by destroy(). */
typedef struct tinko_instance tinko_instance;

/* Every operation: JSON in, JSON (or an error) out through `result`. */
typedef tinko_status (*tinko_operation)(tinko_instance* self, tinko_str request_json, tinko_result* result);

/*
 * Each request carries the org's plugin configuration as "config" (validated by validate_config
 * before it is stored). Answers are JSON objects; on TINKO_ERROR set an error, not JSON.
 *
 * PSP operations:
 *   describe         {} -> {"display_name": str, "operations": [str], "webhook_events": [str],
 *                           "egress"?: ["host:port"], "checkout_hosts"?: [host]}
 *                    "egress": where the plugin connects (its provider's API), e.g.
 *                    ["api.stripe.com:443"]; host "*" means any host on that port (an SMTP plugin's
 *                    "*:587"). The host's egress policy lets calls to declared hosts go over TLS to
 *                    public addresses only; every other target (loopback, private addresses, plain
 *                    http) must be allowed by the host's ops (TINKO_EGRESS_ALLOW). A plugin that
 *                    declares nothing reaches only what ops allow. "checkout_hosts": the hosts a
 *                    create_checkout's checkout_url may point at (https only), e.g.
 *                    ["checkout.stripe.com"]. Both are read once when the plugin loads; a malformed
 *                    entry refuses the load.
 *   validate_config  {"config": {...}} -> {} ; a wrong or missing key is TINKO_ERR_INVALID_CONFIG
 *                    whose message names the key
 *   classify         {"config", "code": str, "decline_code"?: str, "message"?: str}
 *                    -> {"category": one of the decline taxonomy's categories (insufficient_funds,
 *                       limit_exceeded, issuer_unavailable, generic_decline, authentication_required,
 *                       card_expired, invalid_details, not_supported, customer_cancelled,
 *                       lost_or_stolen, fraud_suspected, unknown),
 *                       "hardness": "soft" | "customer" | "hard", "retryable": bool}
 *   create_checkout  {"config", "recovery_id": str, "transaction_ref": str, "amount": int (minor units),
 *                     "currency": str (ISO 4217), "customer": {"email"?, "name"?, "phone"?},
 *                     "success_url": str, "cancel_url": str, "expires_at": int (unix s),
 *                     "idempotency_key": str, "webhook_url": str (since ABI 1.2)}
 *                    -> {"checkout_url": str, "provider_reference": str, "expires_at": int}
 *                    "mode" (since ABI 1.3, only to PSPs with the capability "save_payment_method"):
 *                    "payment" (the default, as without it) or "setup": a page where the customer
 *                    saves a new payment method for this payment and nothing is charged; the
 *                    request then also carries "payment_reference": str (the failed payment's id,
 *                    as in retry_charge). The answer is the same. The PSP reports the saved method
 *                    with the event "payment_method_saved" (parse_webhook).
 *                    "webhook_url" (since ABI 1.2, in retry_charge too): where the provider should
 *                    report this payment, the org's {TINKO_PUBLIC_URL}/v1/webhooks/{plugin}/{org_slug}
 *                    exactly as the host serves it; pass it to providers that take a webhook URL per
 *                    payment (Mollie's webhookUrl) instead of keeping one in the config.
 *   retry_charge     {"config", "recovery_id", "transaction_ref", "payment_reference": str,
 *                     "amount", "currency", "idempotency_key", "reconcile"?: bool,
 *                     "webhook_url": str (since ABI 1.2)}
 *                    -> {"outcome": "succeeded" | "declined" | "pending" | "unknown",
 *                        "provider_reference"?: str, "decline_code"?: str, "message"?: str,
 *                        "already_paid"?: bool (1.3), and with "declined" (1.3) the decline
 *                        advice fields listed under parse_webhook}
 *                    "payment_method"?: str in the request: the payment method to charge (a new
 *                    one the customer saved, see "payment_method_saved"); else the payment's own.
 *                    "already_paid": true (since ABI 1.3, with "succeeded" only): the provider says
 *                    the payment was paid before this call and nothing was charged now.
 *                    "unknown" means the call may or may not have reached the provider: the host
 *                    reconciles before any new attempt: it sends a new idempotency_key with
 *                    "reconcile": true, and the plugin first looks up what the provider did.
 *   verify_webhook   {"config", "url": str, "headers": {lower-case name: value}, "body": str (raw)}
 *                    -> {} when authentic; TINKO_ERR_AUTH when the signature is bad or stale
 *   parse_webhook    {"config", "headers", "body"}
 *                    -> {"event_id": str, "events": [{"type": "payment_failed" | "payment_succeeded"
 *                        | "ignored", "transaction_ref"?: str, "recovery_id"?: str, "amount"?: int,
 *                        "currency"?: str, "code"?: str, "decline_code"?: str, "message"?: str,
 *                        "customer"?: {...}, "occurred_at"?: int (unix s)}]}
 *                    Since ABI 1.3 a "payment_failed" event (and a declined retry_charge answer)
 *                    may carry decline advice: "advice_code"?: "try_again_later" |
 *                    "do_not_try_again" | "confirm_card_data" (Stripe's), "network_advice_code"?:
 *                    str (the card network's advice, e.g. Mastercard's Merchant Advice Code "03",
 *                    "21", "24"), "network_decline_code"?: str, "card_network"?: "visa" |
 *                    "mastercard" | "amex" | "discover" | "jcb" | "unionpay" | "diners" | "rupay" |
 *                    "other", "card_fingerprint"?: str, "payment_method"?: str.
 *                    Since ABI 1.3 (PSPs with "save_payment_method") an event may be
 *                    {"type": "payment_method_saved", "recovery_id"?: str, "transaction_ref"?: str,
 *                     "payment_method": str, "card_network"?: str, "card_fingerprint"?: str}:
 *                    the customer saved a new payment method through a "setup" checkout; the host
 *                    stores it on the transaction and retries the charge with it at once. The same
 *                    saving may be reported twice (e.g. two provider events); the host deduplicates.
 *                    What the provider is answered when verify_webhook or parse_webhook fails:
 *                    TINKO_ERR_AUTH, _INVALID_INPUT, _UNSUPPORTED, _INVALID_CONFIG are final (401
 *                    from verify_webhook, 400 from parse_webhook: the provider does not deliver
 *                    again); any other category (_NETWORK, _PROVIDER, _INTERNAL) is 503 with
 *                    Retry-After from either, so the provider delivers again: report a failed
 *                    lookup at the provider as _NETWORK or _PROVIDER, never _INVALID_INPUT.
 *   complete_checkout (1.1; NULL or absent when the PSP needs nothing on return)
 *                    {"config", "recovery_id", "provider_reference": str (from create_checkout),
 *                     "query": {name: value} (the customer's return to success_url),
 *                     "idempotency_key": str}
 *                    -> {"outcome": "succeeded" | "pending" | "declined", "provider_reference"?: str,
 *                        "decline_code"?: str, "message"?: str}
 *                    Called when the customer comes back from the checkout: e.g. PayPal captures
 *                    the approved order, Razorpay checks the redirect's signature. TINKO_ERR_AUTH
 *                    when the return was forged. The PSP's webhook stays the source of truth.
 *
 * Channel operations:
 *   describe         {} -> {"display_name": str, "channel": "email" | "sms", "egress"?: ["host:port"]}
 *                    ("egress" as for PSPs)
 *   validate_config  as for PSPs
 *   send             {"config", "to": str, "subject"?: str, "text": str, "html"?: str,
 *                     "headers"?: {name: value}, "idempotency_key": str,
 *                     "status_callback_url"?: str (where the provider reports delivery)}
 *                    -> {"provider_message_id": str, "status": "sent" | "queued"}
 *                    a TINKO_ERR_PROVIDER with retryable = 0 is a permanent failure for that
 *                    recipient; retryable = 1 is transient; TINKO_ERR_OPTED_OUT (1.1) means the
 *                    recipient unsubscribed: the host sends nothing more to them on this channel
 *   parse_callback   {"config", "url": str (exactly as given to the provider), "headers", "body"}
 *                    verifies the provider's signature first (TINKO_ERR_AUTH when bad), then
 *                    -> {"provider_message_id": str, "status": "delivered" | "undelivered" | "failed"
 *                        | "sent", "error_code"?: str}
 *                    Its errors are answered to the provider as verify_webhook's are (401 final,
 *                    or 503 with Retry-After to deliver again).
 */

/*
 * What the host acts on: capabilities, operations, webhook_events (sdk/README.md has the tables).
 *
 *   capabilities (tinko_plugin_descriptor): a JSON array of strings, read once at load (anything
 *     else refuses the load) and shown by GET /v1/plugins and GET /v1/plugins/{name}. The host
 *     acts on these values:
 *       "retry_charge" (psp): recoveries through this PSP get charge-retry steps, when the PSP also
 *                       offers the retry_charge operation (below), the org's policy retries
 *                       charges, the decline is soft and the event has a payment_reference.
 *       "save_payment_method" (psp, plugins built for ABI >= 1.3 only): the recovery page offers
 *                       "Use another card": create_checkout with "mode": "setup", and the
 *                       plugin's parse_webhook reports "payment_method_saved", and the host
 *                       charges the new card at once (so the PSP must offer create_checkout and
 *                       retry_charge too).
 *     Any other value ("checkout", "complete_checkout", "webhooks", "send", "status_callbacks",
 *     "parse_callback" in the built-in plugins; unknown ones too) is for people only.
 *   describe's "operations": the operations the host may call. When present, an operation it does
 *     not list is never called (describe and validate_config always are); without it, every
 *     operation of the table may be. Instead of an operation not offered the host: takes a decline
 *     as "unknown" (classify), shows a "provider unavailable" page (create_checkout), plans no
 *     charge retry (retry_charge), answers webhooks 401 (verify_webhook) or 400 (parse_webhook)
 *     and delivery reports 401 (parse_callback), waits for the webhook (complete_checkout), or
 *     records the message as failed (send).
 *   describe's "webhook_events" (psp): the provider's event types parse_webhook turns into
 *     something other than "ignored", for ops subscribing at the provider. The host does not
 *     filter by it: every delivery reaches verify_webhook and parse_webhook.
 */

/* owner: the plugin (static); valid while the library is loaded. */
typedef struct tinko_psp_operations {
    uint32_t struct_size;
    tinko_operation describe;
    tinko_operation validate_config;
    tinko_operation classify;
    tinko_operation create_checkout;
    tinko_operation retry_charge;
    tinko_operation verify_webhook;
    tinko_operation parse_webhook;
    tinko_operation complete_checkout;        /* 1.1 */
} tinko_psp_operations;

/* owner: the plugin (static); valid while the library is loaded. */
typedef struct tinko_channel_operations {
    uint32_t struct_size;
    tinko_operation describe;
    tinko_operation validate_config;
    tinko_operation send;
    tinko_operation parse_callback;
} tinko_channel_operations;

typedef enum tinko_plugin_kind {
    TINKO_KIND_PSP = 1,
    TINKO_KIND_CHANNEL = 2
} tinko_plugin_kind;

/*
 * What a plugin is. owner: the plugin (static); valid while the library is loaded. All strings
 * are NUL-terminated UTF-8.
 */
typedef struct tinko_plugin_descriptor {
    uint32_t struct_size;           /* sizeof(tinko_plugin_descriptor) as the plugin was built */
    uint16_t abi_major;             /* TINKO_ABI_MAJOR the plugin was built against */
    uint16_t abi_minor;             /* TINKO_ABI_MINOR the plugin was built against */
    uint32_t kind;                  /* a tinko_plugin_kind */
    const char* name;               /* [a-z0-9-]{2,40}, e.g. "stripe"; the name orgs refer to */
    const char* version;            /* semantic version, e.g. "1.4.2" */
    const char* capabilities;       /* JSON array of strings, e.g. ["checkout","retry_charge"] */
    const char* config_schema;      /* JSON Schema (an object schema) of the org configuration */

    /* Creates an instance using `host` (kept by the plugin until destroy). On failure returns
     * TINKO_ERROR with an error set on `result`, and *instance is left NULL. */
    tinko_status (*create)(const tinko_host_services* host, tinko_instance** instance, tinko_result* result);
    /* Frees an instance; no call is in flight on it. */
    void (*destroy)(tinko_instance* instance);

    const tinko_psp_operations* psp;          /* set when kind == TINKO_KIND_PSP, else NULL */
    const tinko_channel_operations* channel;  /* set when kind == TINKO_KIND_CHANNEL, else NULL */
} tinko_plugin_descriptor;

/* The one symbol a plugin exports. owner of the result: the plugin (static). */
typedef const tinko_plugin_descriptor* (*tinko_plugin_entry_fn)(void);
TINKO_EXPORT const tinko_plugin_descriptor* tinko_plugin_entry(void);

/* ---- Layout checks: a change here is an ABI break ------------------------------------------ */
#if defined(__x86_64__) || defined(__aarch64__)
#ifdef __cplusplus
#define TINKO_STATIC_ASSERT static_assert
#else
#define TINKO_STATIC_ASSERT _Static_assert
#endif
TINKO_STATIC_ASSERT(sizeof(tinko_str) == 16, "tinko_str layout");
TINKO_STATIC_ASSERT(sizeof(tinko_error) == 48, "tinko_error layout");
TINKO_STATIC_ASSERT(sizeof(tinko_header) == 32, "tinko_header layout");
TINKO_STATIC_ASSERT(sizeof(tinko_http_request) == 80, "tinko_http_request layout");
TINKO_STATIC_ASSERT(sizeof(tinko_http_response) == 64, "tinko_http_response layout");
TINKO_STATIC_ASSERT(sizeof(tinko_host_services) == 120, "tinko_host_services layout");
TINKO_STATIC_ASSERT(sizeof(tinko_psp_operations) == 72, "tinko_psp_operations layout");
TINKO_STATIC_ASSERT(sizeof(tinko_channel_operations) == 40, "tinko_channel_operations layout");
TINKO_STATIC_ASSERT(sizeof(tinko_plugin_descriptor) == 80, "tinko_plugin_descriptor layout");
#endif

#ifdef __cplusplus
}
#endif

#endif /* TINKO_ABI_H */
