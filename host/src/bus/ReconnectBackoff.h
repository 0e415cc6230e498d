#pragma once
// How long to wait before each attempt to reconnect: doubling from `firstMs` up to `maxMs`, so a
// Redis that is down for long costs one attempt per `maxMs`, and one that blinked is back at once.
namespace tinko::bus {

class ReconnectBackoff {
public:
    explicit ReconnectBackoff(int firstMs = 1000, int maxMs = 30000) : firstMs_(firstMs), maxMs_(maxMs) {}

    // The wait before the next attempt: firstMs, 2 * firstMs, ... capped at maxMs.
    int next();
    // After a connection that worked: the next loss starts again at firstMs.
    void reset() { nextMs_ = 0; }

private:
    int firstMs_;
    int maxMs_;
    int nextMs_ = 0;
};

}  // namespace tinko::bus
