#pragma once
// The card networks' retry limits per card (migrations/0027): the limits as ops see and tighten
// them, each card's charge attempts, and the one indexed query that decides whether one more
// charge retry of a card would exceed its network's limit. Also the decline advice a declined
// charge retry brings to the rest of its recovery (recovery/DeclineAdvice.h).
#include "store/PgPool.h"

#include <optional>
#include <string>
#include <vector>

namespace tinko::store {

struct CardRetryLimit {
    std::string network;
    std::string rule;
    std::string counts;   // attempts | stop_advice
    int maxAttempts = 0;
    long long windowSeconds = 0;
    int defaultMaxAttempts = 0;
    long long defaultWindowSeconds = 0;
    std::string source;
    std::string updatedAt;
};

// Why a charge retry was refused: the rule it would break and what was counted.
struct CardLimitRefusal {
    std::string network;
    std::string rule;
    int maxAttempts = 0;
    long long windowSeconds = 0;
    long long counted = 0;   // attempts in the window (or since the stop advice)
    std::string source;
};

class CardRetryStore {
public:
    explicit CardRetryStore(PgPool& pool) : pool_(pool) {}

    std::vector<CardRetryLimit> limits();
    std::optional<CardRetryLimit> limit(const std::string& network, const std::string& rule);
    // Sets a limit (already checked to be no looser than its default) and audits it; false when the
    // row is gone or the change would loosen it (the table's CHECK).
    bool tighten(const std::string& network, const std::string& rule, int maxAttempts, long long windowSeconds,
                 const std::string& actor);

    // One indexed query: the first limit of the card's network (else '*') that one more attempt
    // would break; nullopt when the retry may go.
    std::optional<CardLimitRefusal> refusal(long long orgId, const std::string& cardKey,
                                            const std::optional<std::string>& cardNetwork);
    void recordAttempt(long long orgId, const std::string& cardKey, const std::optional<std::string>& cardNetwork,
                       bool stopAdvice);

    // A declined charge retry's advice for the rest of its recovery (the steps after `sequence`):
    // kept as the recovery's charge_advice; "stop": later steps lose their charge (those left with
    // nothing to do are cancelled); "delay": later steps due before `delaySeconds` from now lose
    // their charge, and when none with a charge is due after it, the last one moves to it.
    void adviseLaterSteps(long long recoveryId, int sequence, const std::string& adviceJson, bool stop,
                          long long delaySeconds);

private:
    PgPool& pool_;
};

}  // namespace tinko::store
