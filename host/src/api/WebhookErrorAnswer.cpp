#include "api/WebhookErrorAnswer.h"

namespace tinko::api {

WebhookErrorAnswer webhookErrorAnswer(WebhookStep step, tinko_error_category category) {
    switch (category) {
        case TINKO_ERR_AUTH:
        case TINKO_ERR_INVALID_INPUT:
        case TINKO_ERR_UNSUPPORTED:
        case TINKO_ERR_INVALID_CONFIG:
            return step == WebhookStep::Verify ? WebhookErrorAnswer::NotAccepted : WebhookErrorAnswer::BadRequest;
        default:   // network, provider, internal, opted_out, the host's egress refusal, anything newer
            return WebhookErrorAnswer::DeliverAgain;
    }
}

}  // namespace tinko::api
