#pragma once
// A PSP plugin with nothing wrong in its code, for the broken-on-purpose plugins to be broken
// around: each of them breaks exactly one thing, so the loader and the checker must name that one.
#include "tinko/sdk.hpp"

#include <string>

class MinimalPsp : public tinko::sdk::PspPlugin {
public:
    using PspPlugin::PspPlugin;

    std::string describe(const std::string&) override {
        return R"({"display_name":"Broken on purpose","operations":["classify","create_checkout"],"webhook_events":[]})";
    }
    std::string validateConfig(const std::string& requestJson) override {
        const tinko::json::Value request = tinko::sdk::parseRequest(requestJson);
        tinko::sdk::configOf(request);
        return "{}";
    }
};
