#pragma once
// The ops console: /console serves index.html and /console/{file} its script and style, all
// embedded in the binary. The files themselves are public and hold no data: the page asks for the
// ops token and sends it as a bearer token to the ops API (/v1/plugins, /v1/admin/...), which is
// where access is checked. The token lives in the tab's sessionStorage, never in a cookie, so no
// other site can make the browser act with it.
#include "http/Router.h"

namespace tinko::web {

void registerOpsConsole(http::Router& router);

}  // namespace tinko::web
