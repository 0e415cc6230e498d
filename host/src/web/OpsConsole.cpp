#include "web/OpsConsole.h"

#include "http/Problem.h"
#include "web/ConsoleFiles.h"

namespace tinko::web {

using namespace tinko::http;

namespace {
std::string contentTypeOf(const std::string& name) {
    auto endsWith = [&](const char* suffix) {
        const std::string s(suffix);
        return name.size() >= s.size() && name.compare(name.size() - s.size(), s.size(), s) == 0;
    };
    if (endsWith(".html")) return "text/html; charset=utf-8";
    if (endsWith(".css")) return "text/css; charset=utf-8";
    if (endsWith(".js")) return "text/javascript; charset=utf-8";
    if (endsWith(".svg")) return "image/svg+xml";
    return "application/octet-stream";
}

HttpResponse serve(const std::string& name) {
    const auto& files = embeddedConsoleFiles();
    auto file = files.find(name);
    if (file == files.end()) return problemResponse(problems::notFound("the console has no file '" + name + "'"));
    HttpResponse r;
    r.status = 200;
    r.contentType = contentTypeOf(name);
    r.body = file->second;
    // Only the console's own script and style run; its data comes from this host's API.
    r.withHeader("Content-Security-Policy",
                 "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
                 "base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
        .withHeader("X-Frame-Options", "DENY")
        .withHeader("X-Content-Type-Options", "nosniff")
        .withHeader("Referrer-Policy", "no-referrer")
        .withHeader("Cache-Control", "no-cache");
    return r;
}
}  // namespace

void registerOpsConsole(Router& router) {
    router.add("GET", "/console", Access::Public, [](const HttpRequest&) { return serve("index.html"); });
    router.add("GET", "/console/{file}", Access::Public, [](const HttpRequest& req) { return serve(req.param("file")); });
}

}  // namespace tinko::web
