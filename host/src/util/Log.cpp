#include "util/Log.h"

#include "util/Utf8.h"

#include <Poco/AutoPtr.h>
#include <Poco/ConsoleChannel.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/Formatter.h>
#include <Poco/FormattingChannel.h>
#include <Poco/JSON/Stringifier.h>
#include <Poco/Logger.h>
#include <Poco/Message.h>

#include <sstream>

namespace tinko::log {

namespace {
const char* kFieldsParam = "tinko.fields";

const char* levelName(Poco::Message::Priority p) {
    switch (p) {
        case Poco::Message::PRIO_FATAL: return "fatal";
        case Poco::Message::PRIO_CRITICAL: return "critical";
        case Poco::Message::PRIO_ERROR: return "error";
        case Poco::Message::PRIO_WARNING: return "warn";
        case Poco::Message::PRIO_NOTICE: return "notice";
        case Poco::Message::PRIO_INFORMATION: return "info";
        case Poco::Message::PRIO_DEBUG: return "debug";
        default: return "trace";
    }
}

class JsonLineFormatter : public Poco::Formatter {
public:
    void format(const Poco::Message& msg, std::string& text) override {
        text = "{\"ts\":\"" + Poco::DateTimeFormatter::format(msg.getTime(), "%Y-%m-%dT%H:%M:%S.%iZ") +
               "\",\"level\":\"" + levelName(msg.getPriority()) + "\",\"logger\":" + jsonQuote(msg.getSource()) +
               ",\"msg\":" + jsonQuote(msg.getText());
        if (msg.has(kFieldsParam)) text += msg.get(kFieldsParam);
        text += "}";
    }
};

void emit(Poco::Message::Priority prio, const std::string& logger, const std::string& text, const Fields& fields) {
    Poco::Logger& l = Poco::Logger::get(logger);
    if (!l.is(prio)) return;
    Poco::Message msg(logger, text, prio);
    if (!fields.empty()) {
        std::string rendered;
        for (const auto& [k, v] : fields) rendered += "," + jsonQuote(k) + ":" + jsonQuote(v);
        msg.set(kFieldsParam, rendered);
    }
    l.log(msg);
}
}  // namespace

std::string jsonQuote(const std::string& text) {
    std::ostringstream out;
    // Every value is valid UTF-8 in the log, whatever bytes a caller sent.
    Poco::JSON::Stringifier::formatString(util::toValidUtf8(text), out);
    return out.str();
}

void configure(const std::string& level) {
    Poco::AutoPtr<Poco::ConsoleChannel> console(new Poco::ConsoleChannel);
    Poco::AutoPtr<Poco::FormattingChannel> formatting(new Poco::FormattingChannel(new JsonLineFormatter, console));
    Poco::Logger::root().setChannel(formatting);
    Poco::Logger::root().setLevel(level);
    // Loggers created before this call keep their old channel; point them all at the new one.
    std::vector<std::string> names;
    Poco::Logger::names(names);
    for (const auto& n : names) {
        Poco::Logger::get(n).setChannel(formatting);
        Poco::Logger::get(n).setLevel(level);
    }
}

void debug(const std::string& l, const std::string& m, const Fields& f) { emit(Poco::Message::PRIO_DEBUG, l, m, f); }
void info(const std::string& l, const std::string& m, const Fields& f) { emit(Poco::Message::PRIO_INFORMATION, l, m, f); }
void warn(const std::string& l, const std::string& m, const Fields& f) { emit(Poco::Message::PRIO_WARNING, l, m, f); }
void error(const std::string& l, const std::string& m, const Fields& f) { emit(Poco::Message::PRIO_ERROR, l, m, f); }

}  // namespace tinko::log
