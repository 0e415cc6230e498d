#pragma once
// Structured logs: one JSON object per line on stderr, e.g.
//   {"ts":"2026-11-23T18:00:00.123Z","level":"info","logger":"tinko.http","msg":"request","status":200}
// Fields are values the caller chose to log; secrets are never passed here.
#include <string>
#include <utility>
#include <vector>

namespace tinko::log {

using Fields = std::vector<std::pair<std::string, std::string>>;

// Sets the root logger's channel and level ("information", "debug", ...). Call once at start.
void configure(const std::string& level);

void debug(const std::string& logger, const std::string& msg, const Fields& fields = {});
void info(const std::string& logger, const std::string& msg, const Fields& fields = {});
void warn(const std::string& logger, const std::string& msg, const Fields& fields = {});
void error(const std::string& logger, const std::string& msg, const Fields& fields = {});

// JSON string literal (with quotes) of `text`.
std::string jsonQuote(const std::string& text);

}  // namespace tinko::log
