#pragma once
// The URL a provider calls back for one plugin and org: {TINKO_PUBLIC_URL}/v1/webhooks/{plugin}/{org_slug}.
// PSP plugins get it as create_checkout's and retry_charge's "webhook_url" (a provider such as
// Mollie takes one per payment), channel plugins as send's "status_callback_url". It must be
// exactly the path the webhook route serves for that plugin and org, so it is built in one place.
#include <string>
#include <string_view>

namespace tinko::recovery {

// `publicUrl` with or without a trailing slash; the plugin name and the slug are percent-encoded
// as path segments (today both are [a-z0-9-], which encode as themselves).
std::string webhookUrl(std::string_view publicUrl, std::string_view pluginName, std::string_view orgSlug);

// One path segment: every byte but A-Z a-z 0-9 '-' '_' '~' as %XX (upper-case hex). A '.' is
// encoded too, so a segment can never be "." or ".." and vanish when a client normalises the URL.
std::string percentEncodePathSegment(std::string_view segment);

}  // namespace tinko::recovery
