#include "api/PluginsApi.h"

#include "http/Json.h"
#include "http/Pagination.h"

#include <Poco/DateTimeFormatter.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Timestamp.h>

#include <algorithm>
#include <variant>

namespace tinko::api {

using namespace tinko::http;
using plugins::GenerationStatus;

namespace {
const std::vector<FieldRule> kPathRules{{"path", JsonType::String, true, 4096, {}}};

std::string isoUtc(std::chrono::system_clock::time_point t) {
    const auto us = std::chrono::duration_cast<std::chrono::microseconds>(t.time_since_epoch()).count();
    return Poco::DateTimeFormatter::format(Poco::Timestamp(us), "%Y-%m-%dT%H:%M:%S.%iZ");
}

Poco::JSON::Object statusJson(const GenerationStatus& s) {
    auto o = orderedObject();
    o.set("name", s.name);
    o.set("kind", plugins::kindName(s.kind));
    o.set("version", s.version);
    o.set("abi", s.abi);
    o.set("sha256", s.sha256);
    o.set("generation", s.generation);
    o.set("state", s.state);
    o.set("in_flight", s.inFlight);
    o.set("loaded_at", isoUtc(s.loadedAt));
    Poco::JSON::Array capabilities;
    for (const auto& c : s.capabilities) capabilities.add(c);
    o.set("capabilities", capabilities);
    return o;
}

// The strings of `key` in `object`, or an empty array when it has none.
Poco::JSON::Array stringsOf(const Poco::JSON::Object& object, const std::string& key) {
    Poco::JSON::Array out;
    if (auto given = object.getArray(key))
        for (const auto& v : *given)
            if (v.isString()) out.add(v.extract<std::string>());
    return out;
}

// `text` parsed as a JSON object; an empty object when it is not one (a plugin's text is not trusted).
Poco::JSON::Object::Ptr objectOrEmpty(const std::string& text) {
    try {
        auto parsed = Poco::JSON::Parser().parse(text);
        if (parsed.type() == typeid(Poco::JSON::Object::Ptr)) return parsed.extract<Poco::JSON::Object::Ptr>();
    } catch (const Poco::Exception&) {
    }
    return new Poco::JSON::Object;
}

Poco::JSON::Object descriptorJson(const plugins::PluginGeneration& generation, const std::string& describeAnswer) {
    const auto& d = generation.descriptor();
    auto described = objectOrEmpty(describeAnswer);
    auto schema = objectOrEmpty(d.configSchema);
    Poco::JSON::Array secrets;
    if (auto properties = schema->getObject("properties"))
        for (const auto& [key, value] : *properties)
            if (value.type() == typeid(Poco::JSON::Object::Ptr) && value.extract<Poco::JSON::Object::Ptr>()->optValue("writeOnly", false))
                secrets.add(key);
    auto o = orderedObject();
    o.set("name", d.name);
    o.set("version", d.version);
    o.set("kind", plugins::kindName(d.kind));
    o.set("abi", std::to_string(d.abiMajor) + "." + std::to_string(d.abiMinor));
    o.set("generation", generation.number());
    Poco::JSON::Array capabilities;
    for (const auto& c : d.capabilities) capabilities.add(c);
    o.set("capabilities", capabilities);
    o.set("operations", stringsOf(*described, "operations"));
    o.set("webhook_events", stringsOf(*described, "webhook_events"));
    o.set("config_schema", schema);
    o.set("secret_keys", secrets);
    return o;
}

// The file a load or swap names: the body's bytes (application/octet-stream, signed by the
// X-Tinko-Plugin-Signature header), or {"path"} of a file on this host (signed by <path>.sig).
std::variant<plugins::PluginSource, Problem> sourceOf(const HttpRequest& req) {
    if (req.mediaType() == "application/octet-stream") {
        if (req.body.empty()) {
            Problem p = problems::badRequest("the body is empty: send the plugin file's bytes as application/octet-stream, "
                                             "or {\"path\": ...} of a file on this host as application/json");
            p.errors.push_back({"body", "is empty"});
            return p;
        }
        return plugins::PluginSource::upload(req.body, req.header("x-tinko-plugin-signature"));
    }
    auto body = parseJsonBody(req.body, kPathRules);
    if (!body) return *body.problem;
    return plugins::PluginSource::file(body.object->getValue<std::string>("path"));
}

// Runs a change and answers with the generation it made active, or the problem that stopped it.
template <class Change>
HttpResponse change(int okStatus, Change&& run) {
    try {
        return jsonResponse(okStatus, statusJson(run()));
    } catch (const plugins::PluginRequestError& e) {
        Problem p{e.status, e.status == 404 ? "not-found" : e.status == 409 ? "conflict" : "plugin-rejected",
                  e.status == 404 ? "Not found" : e.status == 409 ? "Conflict" : "Plugin refused", e.what(), {}, {}};
        return problemResponse(p);
    } catch (const plugins::PluginSignatureRefused& e) {
        return problemResponse({422, "plugin-untrusted", "Plugin signature refused", e.what(), {},
                                {{"reason", security::refusalCode(e.reason)}}});
    } catch (const plugins::PluginLoadError& e) {
        return problemResponse({422, "plugin-rejected", "Plugin refused", e.what(), {}, {}});
    }
}
}  // namespace

void registerPluginRoutes(Router& router, plugins::PluginManager& manager, plugins::PluginRegistry& registry,
                          std::size_t maxUploadBytes) {
    const BodyRules upload{true, maxUploadBytes, "TINKO_MAX_PLUGIN_BYTES"};
    // Paged by generation number: the id of the activation row each generation obeys (unique).
    router.add("GET", "/v1/plugins", Access::Ops, [&registry](const HttpRequest& req) {
        auto page = parsePageRequest(req.query);
        if (auto* p = std::get_if<Problem>(&page)) return problemResponse(*p);
        const auto& pr = std::get<PageRequest>(page);
        auto all = registry.status();
        std::sort(all.begin(), all.end(), [](const GenerationStatus& a, const GenerationStatus& b) { return a.generation < b.generation; });
        Poco::JSON::Array data;
        std::uint64_t last = 0;
        int count = 0;
        for (const auto& s : all) {
            if (s.generation <= static_cast<std::uint64_t>(pr.afterId)) continue;
            if (count == pr.limit) break;
            data.add(statusJson(s));
            last = s.generation;
            ++count;
        }
        auto body = orderedObject();
        body.set("data", data);
        body.set("next_cursor", count == pr.limit ? Poco::Dynamic::Var(cursorAfter(static_cast<long long>(last))) : Poco::Dynamic::Var());
        body.set("resident_after_unload", plugins::residentAfterUnloadCount());
        return jsonResponse(200, body);
    });

    router.add("POST", "/v1/plugins", Access::Ops, [&manager](const HttpRequest& req) {
        auto source = sourceOf(req);
        if (auto* p = std::get_if<Problem>(&source)) return problemResponse(*p);
        return change(201, [&] { return manager.load(std::get<plugins::PluginSource>(source)); });
    }, upload);

    router.add("POST", "/v1/plugins/{name}/swap", Access::Ops, [&manager](const HttpRequest& req) {
        auto source = sourceOf(req);
        if (auto* p = std::get_if<Problem>(&source)) return problemResponse(*p);
        return change(200, [&] { return manager.swap(req.param("name"), std::get<plugins::PluginSource>(source)); });
    }, upload);

    router.add("POST", "/v1/plugins/{name}/rollback", Access::Ops, [&manager](const HttpRequest& req) {
        if (req.body.find_first_not_of(" \t\r\n") != std::string::npos) {
            auto body = parseJsonBody(req.body, {});   // rollback takes no fields
            if (!body) return problemResponse(*body.problem);
        }
        return change(200, [&] { return manager.rollback(req.param("name")); });
    });

    // The plugin's descriptor, as an author or an org configuring it needs it: what it is, what it
    // offers, and the configuration it takes (secret keys named, since they are never shown back).
    router.add("GET", "/v1/plugins/{name}", Access::Ops, [&registry](const HttpRequest& req) {
        auto lease = registry.lease(req.param("name"));
        if (!lease) return problemResponse(problems::notFound("no plugin named '" + req.param("name") + "' is loaded"));
        auto answer = lease->call(plugins::Operation::Describe, "{}");
        if (!answer.ok)
            return problemResponse({502, "plugin-error", "The plugin answered with an error", answer.error.message, {}, {}});
        return jsonResponse(200, descriptorJson(lease->generation(), answer.json));
    });

    // The plugin's own description, answered by whichever generation is active: lets ops (and the
    // swap-under-load test) see which version serves calls.
    router.add("GET", "/v1/plugins/{name}/describe", Access::Ops, [&registry](const HttpRequest& req) {
        auto lease = registry.lease(req.param("name"));
        if (!lease) return problemResponse(problems::notFound("no plugin named '" + req.param("name") + "' is loaded"));
        auto answer = lease->call(plugins::Operation::Describe, "{}");
        if (!answer.ok)
            return problemResponse({502, "plugin-error", "The plugin answered with an error", answer.error.message, {}, {}});
        auto body = orderedObject();
        body.set("name", lease->generation().descriptor().name);
        body.set("version", lease->generation().descriptor().version);
        body.set("generation", lease->generation().number());
        Poco::JSON::Parser parser;
        body.set("description", parser.parse(answer.json));
        return jsonResponse(200, body);
    });
}

}  // namespace tinko::api
