#pragma once
// Records the answers tinko-host gives the tests, for openapi.RecordedAnswers (tests/openapi),
// which validates each one against docs/openapi.yaml. Only when TINKO_ANSWER_LOG names a file (CTest
// sets it for the end-to-end suites): each answer received from a tinko-host this process started
// is appended to it as one JSON line {method, path, status, content_type, body}; answers from the
// fakes and other servers are not the host's and are left out. The first use in a process
// truncates the file, so a rerun replaces the last run's answers instead of adding to them.
#include <string>

namespace tinko::test {

// A tinko-host started by this process listens on `port` (HostProcess calls these).
void noteHostPort(int port);
void forgetHostPort(int port);

// One answer to `method` `target` (the path, with or without its query) sent to 127.0.0.1:`port`.
void recordAnswer(int port, const std::string& method, const std::string& target, int status,
                  const std::string& contentType, const std::string& body);

// `text` as a JSON string literal, quotes included; bytes that are not UTF-8 become \u00XX.
std::string jsonString(const std::string& text);

}  // namespace tinko::test
