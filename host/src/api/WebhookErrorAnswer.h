#pragma once
// How a plugin's error on a provider's webhook becomes the HTTP answer the provider sees. What may
// pass later (the provider unreachable, a provider error, a plugin failing, egress refused) is a 503
// with Retry-After, from verify_webhook and parse_webhook alike, so the provider delivers again and
// nothing is lost. What no redelivery changes (a bad signature, malformed input, a missing
// operation, a configuration that cannot work) is final: 401 from verify_webhook, 400 from parse_webhook.
#include "tinko/abi.h"

namespace tinko::api {

// A channel's parse_callback, which verifies the signature first, is answered as Verify.
enum class WebhookStep { Verify, Parse };
enum class WebhookErrorAnswer { NotAccepted /* 401 */, BadRequest /* 400 */, DeliverAgain /* 503 */ };

WebhookErrorAnswer webhookErrorAnswer(WebhookStep step, tinko_error_category category);

}  // namespace tinko::api
