#pragma once
// Locale tags as customers and merchants give them: BCP 47-ish ("en", "de-AT", "pt_BR",
// "zh-Hant-TW"), compared in one canonical spelling so "de-at" and "de_AT" are the same locale.
#include <optional>
#include <string>

namespace tinko::notify {

// "de_at" -> "de-AT", "zh-hant-tw" -> "zh-Hant-TW"; nullopt when `tag` is not a language (2 or 3
// letters) followed by subtags of 1 to 8 letters or digits, at most 35 characters in all.
std::optional<std::string> canonicalLocale(const std::string& tag);

// The language part, lower case: "de-AT" -> "de"; "" for an empty tag.
std::string localeLanguage(const std::string& tag);

}  // namespace tinko::notify
