#include "store/IngestBatch.h"

#include "util/Log.h"

#include <algorithm>

namespace tinko::store {

IngestBatchPlan planIngestBatch(const std::vector<FailureEventInput>& events,
                                const std::map<IdempotencyKey, StoredAnswer>& stored) {
    using Action = IngestBatchPlan::Action;
    IngestBatchPlan plan;
    plan.decisions.resize(events.size());
    std::map<IdempotencyKey, std::size_t> keyOwners;                        // key -> the event that writes it
    std::map<std::pair<long long, std::string>, bool> paymentsSeen;
    for (std::size_t i = 0; i < events.size(); ++i) {
        const auto& e = events[i];
        auto& d = plan.decisions[i];
        if (e.idempotencyKey) {
            const IdempotencyKey key{e.orgId, *e.idempotencyKey};
            if (auto s = stored.find(key); s != stored.end()) {
                d.action = s->second.requestSha256 == e.requestSha256 ? Action::ReplayStored : Action::KeyReused;
                if (d.action == Action::ReplayStored) d.storedResponse = s->second.responseJson;
                continue;
            }
            if (auto o = keyOwners.find(key); o != keyOwners.end()) {
                d.action = events[o->second].requestSha256 == e.requestSha256 ? Action::ReplayEarlier : Action::KeyReused;
                d.earlier = o->second;
                continue;
            }
            keyOwners.emplace(key, i);
        }
        d.action = Action::Write;
        plan.writes.push_back(i);
        plan.firstOfPayment.push_back(paymentsSeen.emplace(std::make_pair(e.orgId, e.transactionRef), true).second);
    }
    return plan;
}

std::vector<TransactionUpsert> mergeTransactions(const std::vector<FailureEventInput>& events,
                                                 const std::vector<std::size_t>& writes) {
    std::map<std::pair<long long, std::string>, TransactionUpsert> byPayment;   // ordered by (org, ref)
    for (std::size_t i : writes) {
        const auto& e = events[i];
        auto [it, isNew] = byPayment.try_emplace({e.orgId, e.transactionRef});
        auto& t = it->second;
        if (isNew) {
            t.orgId = e.orgId;
            t.ref = e.transactionRef;
            t.amount = e.amount;
            t.currency = e.currency;
            t.customersJson = "[" + e.customerJson;
        } else {
            t.customersJson += "," + e.customerJson;
        }
        if (e.psp) t.psp = e.psp;
        if (e.paymentReference) t.paymentReference = e.paymentReference;
        if (e.paymentMethod) t.paymentMethod = e.paymentMethod;
        if (auto card = e.cardKey()) t.cardKey = card;
        if (e.cardNetwork) t.cardNetwork = e.cardNetwork;
    }
    std::vector<TransactionUpsert> out;
    out.reserve(byPayment.size());
    for (auto& [payment, t] : byPayment) {
        t.customersJson += "]";
        out.push_back(std::move(t));
    }
    return out;
}

std::string ingestResponseJson(const std::string& eventId, const std::string& recoveryId, const std::string& state,
                               const std::string& category, const std::string& hardness,
                               const std::optional<std::string>& nextStepAt) {
    return "{\"event_id\":" + eventId + ",\"recovery_id\":" + recoveryId + ",\"recovery_state\":" + log::jsonQuote(state) +
           ",\"category\":" + log::jsonQuote(category) + ",\"hardness\":" + log::jsonQuote(hardness) +
           ",\"next_step_at\":" + (nextStepAt ? log::jsonQuote(*nextStepAt) : "null") + "}";
}

}  // namespace tinko::store
