#pragma once
// PayPal's webhook deliveries are signed with PayPal's certificate (SHA256withRSA); this plugin
// lets PayPal check them: POST {api_base}/v1/notifications/verify-webhook-signature with
//   {"auth_algo", "cert_url", "transmission_id", "transmission_sig", "transmission_time"} taken
//   from the delivery's PAYPAL-* headers, "webhook_id" (the org's config) and "webhook_event"
//   (the delivery's body),
// answered {"verification_status": "SUCCESS" | "FAILURE"}. PayPal recomputes the signature over
// the event it is sent, so the body goes into webhook_event byte for byte, not re-serialized.
//
// The offline alternative PayPal documents signs "<transmission_id>|<transmission_time>|
// <webhook_id>|<crc32 of the raw body as an unsigned decimal>" and needs the certificate from
// cert_url (which must then be checked to be PayPal's). This plugin does not fetch certificates;
// it computes that string for its debug log, so an operator can compare what PayPal checked.
#include "PayPalConfig.h"

#include "tinko/json.hpp"
#include "tinko/sdk.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace tinko::paypal {

inline constexpr std::uint32_t kVerifyTimeoutMs = 10000;

// The delivery's signature headers.
struct Transmission {
    std::string authAlgo;           // paypal-auth-algo, e.g. SHA256withRSA
    std::string certUrl;            // paypal-cert-url
    std::string transmissionId;     // paypal-transmission-id
    std::string transmissionSig;    // paypal-transmission-sig
    std::string transmissionTime;   // paypal-transmission-time, RFC 3339
};

// The headers from the request's "headers" object (lower-case names, as the host passes them).
// A missing or empty one is sdk::Error(TINKO_ERR_AUTH) naming it: an unsigned delivery is refused
// without asking PayPal.
Transmission readTransmission(const json::Value& headers);

// CRC-32 (IEEE 802.3, the zlib one) of `bytes`.
std::uint32_t crc32(std::string_view bytes);

// "<transmission_id>|<transmission_time>|<webhook_id>|<crc32(body)>": what PayPal signs.
std::string signedMessage(const Transmission& transmission, const std::string& webhookId, std::string_view body);

// The verify-webhook-signature body, with `rawBody` embedded unchanged as webhook_event.
// sdk::Error(TINKO_ERR_INVALID_INPUT) when the body is not a JSON object.
std::string verificationBody(const Transmission& transmission, const std::string& webhookId, const std::string& rawBody);

sdk::HttpRequest verifySignatureRequest(const PayPalConfig& config, const Transmission& transmission,
                                        const std::string& rawBody, const std::string& accessToken);

// Returns when PayPal answered SUCCESS. FAILURE is sdk::Error(TINKO_ERR_AUTH); no answer or a 5xx
// is retryable (the host answers the delivery with a 5xx, so PayPal delivers it again); other
// answers are errorForFailedCall's.
void checkVerification(const sdk::HttpResponse& response);

}  // namespace tinko::paypal
