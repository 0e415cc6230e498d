#pragma once
// tinko/helpers.hpp: every helper of tinko/helpers/, for a plugin that wants them all. Each is
// header-only, in namespace tinko::sdk::helpers, and needs no library beyond the SDK:
//   crypto.hpp         SHA-256, SHA-1, HMAC, hex, Base64, constant-time compare
//   form.hpp           application/x-www-form-urlencoded, both ways; percent-encoding
//   money.hpp          minor units <-> a provider's decimal string, ISO 4217 exponents
//   time.hpp           unix seconds <-> RFC 3339
//   fields.hpp         reading the host's request fields and an org's settings
//   provider_json.hpp  reading providers' JSON leniently
//   text.hpp           trim, startsWith
#include "tinko/helpers/crypto.hpp"
#include "tinko/helpers/fields.hpp"
#include "tinko/helpers/form.hpp"
#include "tinko/helpers/money.hpp"
#include "tinko/helpers/provider_json.hpp"
#include "tinko/helpers/text.hpp"
#include "tinko/helpers/time.hpp"
