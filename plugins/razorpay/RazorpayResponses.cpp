#include "RazorpayResponses.h"

#include "tinko/helpers/provider_json.hpp"

#include <algorithm>
#include <cctype>

namespace tinko::razorpay {

namespace {

using json::Value;
using sdk::helpers::text;
using sdk::helpers::parseObject;

const char* const kCall = "creating the Payment Link";

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

// "Razorpay answered 400 (BAD_REQUEST_ERROR, field amount, reason input_validation_failed): ..."
std::string describeAnswer(int status, const std::optional<RazorpayError>& error) {
    std::string out = "Razorpay answered " + std::to_string(status);
    if (!error) return out;
    std::string what = error->code;
    if (!error->field.empty()) what += (what.empty() ? "" : ", ") + std::string("field ") + error->field;
    if (!error->reason.empty() && error->reason != "NA")
        what += (what.empty() ? "" : ", ") + std::string("reason ") + error->reason;
    if (!what.empty()) out += " (" + what + ")";
    if (!error->description.empty()) out += ": " + error->description;
    return out;
}

}  // namespace

std::optional<RazorpayError> readRazorpayError(const std::string& body) {
    const std::optional<Value> parsed = parseObject(body);
    const Value* error = parsed ? parsed->find("error") : nullptr;
    if (!error || !error->isObject()) return std::nullopt;
    RazorpayError e;
    e.code = text(*error, "code");
    e.description = text(*error, "description");
    e.field = text(*error, "field");
    e.source = text(*error, "source");
    e.step = text(*error, "step");
    e.reason = text(*error, "reason");
    return e;
}

bool isDuplicateReference(const RazorpayError& error) {
    const std::string description = lower(error.description);
    return error.field == "reference_id" ||
           (description.find("reference") != std::string::npos && description.find("already") != std::string::npos);
}

sdk::Error errorForFailedCall(const sdk::HttpResponse& response, const std::string& call) {
    if (!response.answered()) return sdk::networkError(call + " got no answer from Razorpay: " + response.transportError);
    const std::optional<RazorpayError> error = readRazorpayError(response.body);
    const std::string message = call + ": " + describeAnswer(response.status, error);
    if (response.status >= 500) return sdk::networkError(message);
    const std::string code = error ? error->code : std::string();
    if (response.status == 401) return sdk::authFailed(message, code);
    const bool transient = response.status == 429 || code == "GATEWAY_ERROR" || code == "SERVER_ERROR";
    return sdk::providerError(message, transient, code);
}

Value checkoutAnswer(const sdk::HttpResponse& response, const std::string& referenceId, std::int64_t requestedExpiresAt) {
    if (response.status == 400) {
        const std::optional<RazorpayError> error = readRazorpayError(response.body);
        // Razorpay has no idempotent replay and no lookup by reference_id in the contract: the
        // link an earlier attempt made cannot be fetched, so say what happened instead.
        if (error && isDuplicateReference(*error))
            throw sdk::providerError(std::string(kCall) + ": a Payment Link with reference_id " + referenceId +
                                         " already exists (an earlier attempt with the same idempotency key made it); "
                                         "Razorpay cannot return it by reference_id, so try again with a new key (" +
                                         describeAnswer(response.status, error) + ")",
                                     false, error->code);
    }
    if (response.status != 200) throw errorForFailedCall(response, kCall);
    const std::optional<Value> link = parseObject(response.body);
    if (!link) throw sdk::providerError("Razorpay answered 200 to the Payment Link with something that is not JSON", false);
    const std::string id = text(*link, "id");
    const std::string url = text(*link, "short_url");
    if (id.rfind("plink_", 0) != 0 || (url.rfind("https://", 0) != 0 && url.rfind("http://", 0) != 0))
        throw sdk::providerError("Razorpay answered 200 to the Payment Link without its id (plink_...) and short_url", false);
    const Value* expires = link->find("expire_by");
    return Value::object({{"checkout_url", url},
                          {"provider_reference", id},
                          {"expires_at", expires && expires->isInt() && expires->asInt() > 0 ? expires->asInt()
                                                                                            : requestedExpiresAt}});
}

}  // namespace tinko::razorpay
