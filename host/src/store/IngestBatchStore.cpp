#include "store/IngestBatchStore.h"

#include "store/HotPathSql.h"
#include "store/SqlArrays.h"

#include <map>

namespace tinko::store {

// One index lookup per key: the LIMIT keeps the lateral subquery from being flattened into a join
// that reads every keyed event (a key is unique per org, so it changes nothing else).
const char* const hotpath::kStoredAnswers =
    "SELECT k.ord::text, f.request_sha256, f.response::text"
    " FROM unnest($1::bigint[], $2::text[]) WITH ORDINALITY AS k(org_id, idempotency_key, ord)"
    " CROSS JOIN LATERAL (SELECT request_sha256, response FROM failure_events"
    "   WHERE org_id = k.org_id AND idempotency_key = k.idempotency_key AND idempotency_key IS NOT NULL LIMIT 1) f";

// Rows are inserted (and so locked) in the order given, which mergeTransactions sorted by (org, ref).
// Customers merge as repeated `old || new` would: later keys win (jsonb_object_agg keeps the last).
const char* const hotpath::kUpsertTransactions =
    "INSERT INTO transactions (org_id, ref, amount, currency, psp, payment_reference, payment_method, customer,"
    "   card_key, card_network)"
    " SELECT i.org_id, i.ref, i.amount, i.currency, i.psp, i.payment_reference, i.payment_method,"
    "   (SELECT coalesce(jsonb_object_agg(kv.key, kv.value ORDER BY c.n), '{}')"
    "      FROM jsonb_array_elements(i.customers) WITH ORDINALITY AS c(customer, n), jsonb_each(c.customer) kv),"
    "   i.card_key, i.card_network"
    " FROM unnest($1::bigint[], $2::text[], $3::bigint[], $4::text[], $5::text[], $6::text[], $7::text[], $8::jsonb[],"
    "             $9::text[], $10::text[])"
    "   WITH ORDINALITY AS i(org_id, ref, amount, currency, psp, payment_reference, payment_method, customers,"
    "                        card_key, card_network, ord)"
    " ORDER BY i.ord"
    " ON CONFLICT (org_id, ref) DO UPDATE SET customer = transactions.customer || EXCLUDED.customer,"
    "   payment_reference = COALESCE(EXCLUDED.payment_reference, transactions.payment_reference),"
    "   payment_method = COALESCE(EXCLUDED.payment_method, transactions.payment_method),"
    "   card_key = COALESCE(EXCLUDED.card_key, transactions.card_key),"
    "   card_network = COALESCE(EXCLUDED.card_network, transactions.card_network),"
    "   psp = COALESCE(EXCLUDED.psp, transactions.psp)"
    " RETURNING org_id::text, ref, id::text";

// Runs after the upsert locked every payment's row, so its snapshot sees any recovery another
// writer committed for them. A payment has one recovery: a later failure joins the one it has, in
// whatever state (recovered first, then active, then newest); one is created only for a payment
// with none, from its first event in the batch. Audit rows only where a rule decided.
// Failure event ids come from the sequence here so each stored answer can carry its event_id.
const char* const hotpath::kWriteFailureBatch =
    "WITH ev AS ("
    "  SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],"
    "                       $8::text[], $9::jsonb[], $10::text[], $11::text[], $12::boolean[], $13::text[], $14::jsonb[],"
    "                       $15::text[], $16::jsonb[], $22::jsonb[], $23::text[], $24::text[], $25::boolean[])"
    "    WITH ORDINALITY AS e(org_id, transaction_id, source, decline_code, failure_reason, category, hardness,"
    "                         occurred_at, metadata, idempotency_key, request_sha256, first_of_payment, initial_state,"
    "                         policy, psp, decided_by_rule, charge_advice, card_key, card_network, stop_advice, ord)),"
    " cur AS ("
    "  SELECT e.transaction_id, r.id, r.state, r.category, r.hardness,"
    "    (SELECT min(s.due_at) FROM recovery_steps s WHERE s.recovery_id = r.id AND s.state = 'pending') AS next_step_at"
    "  FROM ev e LEFT JOIN LATERAL (SELECT id, state, category, hardness FROM recoveries"
    "      WHERE transaction_id = e.transaction_id"
    "      ORDER BY state = 'recovered' DESC, state = 'active' DESC, id DESC LIMIT 1) r ON true"
    "  WHERE e.first_of_payment),"
    " rec AS ("
    "  INSERT INTO recoveries (org_id, transaction_id, state, category, hardness, policy, psp, closed_at, decided_by_rule,"
    "    charge_advice)"
    "  SELECT e.org_id, e.transaction_id, e.initial_state, e.category, e.hardness, e.policy, e.psp,"
    "    CASE WHEN e.initial_state = 'active' THEN NULL ELSE now() END, e.decided_by_rule, e.charge_advice"
    "  FROM ev e JOIN cur ON cur.transaction_id = e.transaction_id"
    "  WHERE e.first_of_payment AND cur.id IS NULL ORDER BY e.ord"
    "  RETURNING id, org_id, transaction_id, state, category, hardness, decided_by_rule),"
    " steps AS ("
    "  INSERT INTO recovery_steps (recovery_id, org_id, sequence, retry_charge, channel, due_at, state)"
    "  SELECT rec.id, rec.org_id, s.seq, s.retry, s.channel, now() + make_interval(secs => s.delay), 'pending'"
    "  FROM unnest($17::bigint[], $18::int[], $19::boolean[], $20::text[], $21::bigint[]) AS s(ord, seq, retry, channel, delay)"
    "  JOIN ev e ON e.ord = s.ord JOIN rec ON rec.transaction_id = e.transaction_id"
    "  RETURNING recovery_id, due_at),"
    // Each failed payment is a charge attempt on its card, counted by the networks' retry limits
    // (migrations/0027); written here so that ingest sends no statement more.
    " attempts AS ("
    "  INSERT INTO card_charge_attempts (org_id, card_key, card_network, source, stop_advice, at)"
    "  SELECT e.org_id, e.card_key, e.card_network, 'payment', e.stop_advice, COALESCE(e.occurred_at::timestamptz, now())"
    "  FROM ev e WHERE e.card_key IS NOT NULL),"
    " audit AS ("
    "  INSERT INTO audit_log (org_id, actor, action, subject, details)"
    "  SELECT org_id, 'system', 'recovery.' || CASE state WHEN 'active' THEN 'started' ELSE state END, 'recovery:' || id,"
    "    jsonb_build_object('category', category, 'rule', decided_by_rule)"
    "  FROM rec WHERE decided_by_rule IS NOT NULL),"
    " answer AS ("
    "  SELECT transaction_id, id, state, category, hardness, next_step_at FROM cur WHERE id IS NOT NULL"
    "  UNION ALL"
    "  SELECT rec.transaction_id, rec.id, rec.state, rec.category, rec.hardness, n.next_step_at"
    "  FROM rec LEFT JOIN (SELECT recovery_id, min(due_at) AS next_step_at FROM steps GROUP BY 1) n ON n.recovery_id = rec.id),"
    " numbered AS ("
    "  SELECT o.*, nextval('failure_events_id_seq') AS id FROM (SELECT * FROM ev ORDER BY ord) o),"
    " out AS ("
    "  SELECT n.*, a.id AS recovery_id, a.state AS recovery_state, a.category AS recovery_category,"
    "    a.hardness AS recovery_hardness,"
    "    to_char(a.next_step_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') AS next_step_at"
    "  FROM numbered n JOIN answer a ON a.transaction_id = n.transaction_id),"
    " stored AS ("
    "  INSERT INTO failure_events (id, org_id, transaction_id, source, decline_code, failure_reason, category, hardness,"
    "    occurred_at, metadata, idempotency_key, request_sha256, response)"
    "  OVERRIDING SYSTEM VALUE"
    "  SELECT id, org_id, transaction_id, source, decline_code, failure_reason, category, hardness,"
    "    COALESCE(occurred_at::timestamptz, now()), metadata, idempotency_key, request_sha256,"
    "    jsonb_build_object('event_id', id, 'recovery_id', recovery_id, 'recovery_state', recovery_state,"
    "      'category', recovery_category, 'hardness', recovery_hardness, 'next_step_at', next_step_at)"
    "  FROM out ORDER BY id)"
    " SELECT ord::text, id::text, recovery_id::text, recovery_state, recovery_category, recovery_hardness, next_step_at"
    " FROM out";

namespace {
using Action = IngestBatchPlan::Action;

std::optional<std::string> text(long long v) { return std::to_string(v); }

std::map<IdempotencyKey, StoredAnswer> storedAnswers(PgConnection& c, const std::vector<FailureEventInput>& events) {
    std::vector<std::optional<std::string>> orgs, keys;
    for (const auto& e : events)
        if (e.idempotencyKey) {
            orgs.push_back(text(e.orgId));
            keys.push_back(e.idempotencyKey);
        }
    std::map<IdempotencyKey, StoredAnswer> answers;
    if (keys.empty()) return answers;
    for (const auto& row : c.query(hotpath::kStoredAnswers, {textArrayLiteral(orgs), textArrayLiteral(keys)})) {
        const std::size_t k = std::stoul(*row[0]) - 1;
        answers[{std::stoll(*orgs[k]), *keys[k]}] = {row[1].value_or(""), row[2].value_or("{}")};
    }
    return answers;
}

std::map<std::pair<long long, std::string>, std::string> upsertTransactions(PgConnection& c,
                                                                            const std::vector<TransactionUpsert>& payments) {
    std::vector<std::optional<std::string>> orgs, refs, amounts, currencies, psps, references, methods, customers, cards, networks;
    for (const auto& t : payments) {
        orgs.push_back(text(t.orgId));
        refs.push_back(t.ref);
        amounts.push_back(text(t.amount));
        currencies.push_back(t.currency);
        psps.push_back(t.psp);
        references.push_back(t.paymentReference);
        methods.push_back(t.paymentMethod);
        customers.push_back(t.customersJson);
        cards.push_back(t.cardKey);
        networks.push_back(t.cardNetwork);
    }
    std::map<std::pair<long long, std::string>, std::string> ids;
    for (const auto& row : c.query(hotpath::kUpsertTransactions,
                                   {textArrayLiteral(orgs), textArrayLiteral(refs), textArrayLiteral(amounts), textArrayLiteral(currencies), textArrayLiteral(psps),
                                    textArrayLiteral(references), textArrayLiteral(methods), textArrayLiteral(customers),
                                    textArrayLiteral(cards), textArrayLiteral(networks)}))
        ids[{std::stoll(*row[0]), *row[1]}] = *row[2];
    return ids;
}

std::vector<IngestResult> writeOnce(PgPool& pool, const std::vector<FailureEventInput>& events) {
    return pool.transaction([&](PgConnection& c) {
        const auto plan = planIngestBatch(events, storedAnswers(c, events));
        std::vector<IngestResult> results(events.size());
        if (!plan.writes.empty()) {
            const auto transactionIds = upsertTransactions(c, mergeTransactions(events, plan.writes));
            std::vector<std::optional<std::string>> orgs, txs, sources, codes, reasons, categories, hardnesses, occurred,
                metadata, keys, hashes, firsts, states, policies, psps, rules, advices, cards, networks, stops;
            std::vector<std::optional<std::string>> stepEvents, seqs, retries, channels, delays;
            for (std::size_t w = 0; w < plan.writes.size(); ++w) {
                const auto& e = events[plan.writes[w]];
                orgs.push_back(text(e.orgId));
                txs.push_back(transactionIds.at({e.orgId, e.transactionRef}));
                sources.push_back(e.source);
                codes.push_back(e.declineCode);
                reasons.push_back(e.failureReason);
                categories.push_back(e.category);
                hardnesses.push_back(e.hardness);
                occurred.push_back(e.occurredAt);
                metadata.push_back(e.metadataJson);
                keys.push_back(e.idempotencyKey);
                hashes.push_back(e.requestSha256);
                firsts.push_back(plan.firstOfPayment[w] ? "true" : "false");
                states.push_back(e.skipped ? "skipped" : e.steps.empty() ? "unrecoverable" : "active");
                // Only a payment's first event may start its recovery, so only its policy is sent.
                policies.push_back(plan.firstOfPayment[w] ? std::optional<std::string>(e.policyJson) : std::nullopt);
                psps.push_back(e.psp);
                rules.push_back(e.decidedByRule);
                advices.push_back(e.chargeAdviceJson);
                cards.push_back(e.cardKey());
                networks.push_back(e.cardNetwork);
                stops.push_back(e.stopAdvice ? "true" : "false");
                if (!plan.firstOfPayment[w]) continue;
                for (const auto& s : e.steps) {
                    stepEvents.push_back(text(static_cast<long long>(w + 1)));
                    seqs.push_back(std::to_string(s.sequence));
                    retries.push_back(s.retryCharge ? "true" : "false");
                    channels.push_back(s.channel);
                    delays.push_back(text(s.delaySeconds));
                }
            }
            const auto rows = c.query(hotpath::kWriteFailureBatch,
                                      {textArrayLiteral(orgs), textArrayLiteral(txs), textArrayLiteral(sources), textArrayLiteral(codes), textArrayLiteral(reasons),
                                       textArrayLiteral(categories), textArrayLiteral(hardnesses), textArrayLiteral(occurred), textArrayLiteral(metadata),
                                       textArrayLiteral(keys), textArrayLiteral(hashes), textArrayLiteral(firsts), textArrayLiteral(states), textArrayLiteral(policies),
                                       textArrayLiteral(psps), textArrayLiteral(rules), textArrayLiteral(stepEvents), textArrayLiteral(seqs), textArrayLiteral(retries),
                                       textArrayLiteral(channels), textArrayLiteral(delays), textArrayLiteral(advices),
                                       textArrayLiteral(cards), textArrayLiteral(networks), textArrayLiteral(stops)});
            for (const auto& row : rows) {
                const std::size_t event = plan.writes.at(std::stoul(*row[0]) - 1);
                results[event].outcome = {IngestOutcome::Kind::Stored,
                                          ingestResponseJson(*row[1], *row[2], *row[3], *row[4], *row[5], row[6])};
            }
        }
        for (std::size_t i = 0; i < events.size(); ++i) {
            const auto& d = plan.decisions[i];
            if (d.action == Action::ReplayStored) results[i].outcome = {IngestOutcome::Kind::Replayed, d.storedResponse};
            if (d.action == Action::ReplayEarlier)
                results[i].outcome = {IngestOutcome::Kind::Replayed, results[d.earlier].outcome.responseJson};
            if (d.action == Action::KeyReused) results[i].outcome = {IngestOutcome::Kind::KeyReused, ""};
        }
        return results;
    });
}

// Races another writer can cause, which a rerun resolves: the same Idempotency-Key stored by
// another batch meanwhile (the rerun replays its answer), or two batches deadlocking on keys.
bool worthRetrying(const DatabaseError& e) {
    return e.isUniqueViolation("failure_events_idempotency") || e.sqlState == "40P01" || e.sqlState == "40001";
}

std::vector<IngestResult> writeWithRetries(PgPool& pool, const std::vector<FailureEventInput>& events) {
    constexpr int kAttempts = 3;
    for (int attempt = 1;; ++attempt) {
        try {
            return writeOnce(pool, events);
        } catch (const DatabaseUnavailable&) {
            throw;
        } catch (const DatabaseError& e) {
            if (attempt == kAttempts || !worthRetrying(e)) throw;
        }
    }
}
}  // namespace

std::vector<IngestResult> writeIngestBatch(PgPool& pool, const std::vector<FailureEventInput>& events) {
    try {
        return writeWithRetries(pool, events);
    } catch (const DatabaseUnavailable&) {
        // Every event shares the connection's fate: each request answers 503.
        return std::vector<IngestResult>(events.size(), IngestResult{{}, std::current_exception()});
    } catch (const std::exception&) {
        if (events.size() == 1) return {IngestResult{{}, std::current_exception()}};
    }
    // One event made the whole batch fail: write them one by one, in order (a later use of a key
    // then replays the earlier one's committed answer), so only the bad one gets the error.
    std::vector<IngestResult> results;
    results.reserve(events.size());
    for (const auto& e : events) {
        try {
            results.push_back(writeWithRetries(pool, {e}).at(0));
        } catch (const std::exception&) {
            results.push_back({{}, std::current_exception()});
        }
    }
    return results;
}

}  // namespace tinko::store
