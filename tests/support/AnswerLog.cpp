#include "AnswerLog.h"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <set>

#include <sys/stat.h>

namespace tinko::test {

namespace {

struct AnswerLog {
    std::mutex mutex;
    std::set<int> hostPorts;
    std::ofstream file;
    bool opened = false;

    // Opens (truncating) the file on first use; false when no log is wanted or it cannot be opened.
    bool ready() {
        if (!opened) {
            opened = true;
            const char* path = std::getenv("TINKO_ANSWER_LOG");
            if (!path || !*path) return false;
            const std::string logPath(path);
            const auto slash = logPath.rfind('/');
            if (slash != std::string::npos && slash > 0) ::mkdir(logPath.substr(0, slash).c_str(), 0755);   // if gone
            file.open(logPath, std::ios::out | std::ios::trunc | std::ios::binary);
        }
        return file.is_open();
    }
};

AnswerLog& answerLog() {
    static AnswerLog log;
    return log;
}

// The length of the UTF-8 sequence at text[i], or 0 when the bytes there are not one.
std::size_t utf8SequenceLength(const std::string& text, std::size_t i) {
    const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
    const unsigned char lead = byte(i);
    std::size_t length = lead >= 0xF0 && lead <= 0xF4 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC2 && lead < 0xE0 ? 2 : 0;
    if (length == 0 || i + length > text.size()) return 0;
    for (std::size_t k = 1; k < length; ++k)
        if ((byte(i + k) & 0xC0) != 0x80) return 0;
    // Overlong forms, UTF-16 surrogates and code points past U+10FFFF.
    if (lead == 0xE0 && byte(i + 1) < 0xA0) return 0;
    if (lead == 0xED && byte(i + 1) >= 0xA0) return 0;
    if (lead == 0xF0 && byte(i + 1) < 0x90) return 0;
    if (lead == 0xF4 && byte(i + 1) >= 0x90) return 0;
    return length;
}

}  // namespace

std::string jsonString(const std::string& text) {
    std::string out = "\"";
    for (std::size_t i = 0; i < text.size();) {
        const auto c = static_cast<unsigned char>(text[i]);
        char escaped[8];
        if (c == '"' || c == '\\') {
            out += '\\';
            out += static_cast<char>(c);
        } else if (c == '\n') {
            out += "\\n";
        } else if (c == '\r') {
            out += "\\r";
        } else if (c == '\t') {
            out += "\\t";
        } else if (c < 0x20 || c == 0x7F) {
            std::snprintf(escaped, sizeof escaped, "\\u%04x", c);
            out += escaped;
        } else if (c >= 0x80) {
            if (std::size_t length = utf8SequenceLength(text, i)) {
                out.append(text, i, length);
                i += length;
                continue;
            }
            std::snprintf(escaped, sizeof escaped, "\\u%04x", c);
            out += escaped;
        } else {
            out += static_cast<char>(c);
        }
        ++i;
    }
    return out + "\"";
}

void noteHostPort(int port) {
    AnswerLog& log = answerLog();
    std::lock_guard<std::mutex> lock(log.mutex);
    log.ready();   // truncates last run's answers even if this run records none
    log.hostPorts.insert(port);
}

void forgetHostPort(int port) {
    AnswerLog& log = answerLog();
    std::lock_guard<std::mutex> lock(log.mutex);
    log.hostPorts.erase(port);
}

void recordAnswer(int port, const std::string& method, const std::string& target, int status,
                  const std::string& contentType, const std::string& body) {
    AnswerLog& log = answerLog();
    std::lock_guard<std::mutex> lock(log.mutex);
    if (!log.ready() || log.hostPorts.count(port) == 0) return;
    const std::string path = target.substr(0, target.find('?'));
    log.file << "{\"method\":" << jsonString(method) << ",\"path\":" << jsonString(path) << ",\"status\":" << status
             << ",\"content_type\":" << jsonString(contentType) << ",\"body\":" << jsonString(body) << "}\n";
    log.file.flush();
}

}  // namespace tinko::test
