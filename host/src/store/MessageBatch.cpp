// The sending rows and recovery links of a claimed batch, in one statement and one commit
// (NotificationStore::beginBatch): a message's row is committed before its provider is called, so
// an interrupted send is never repeated, and a batch pays one commit instead of two per message.
#include "store/HotPathSql.h"
#include "store/SqlArrays.h"
#include "store/StepStore.h"

#include <map>

namespace tinko::store {

// Per step: the claim must still be this host's ($2, $3), the recovery still active, and the
// recipient not opted out of the channel; then the sending row (unless an earlier attempt left
// one), and for each row written the link. Rows are inserted in step order, one lock order for all.
const char* const hotpath::kBeginMessages =
    "WITH b AS ("
    "  SELECT * FROM unnest($1::bigint[], $2::text[], $3::int[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],"
    "                       $9::bigint[])"
    "    AS b(step_id, leased_by, attempts, channel, plugin, recipient_masked, recipient_sha256, link_sha256, link_ttl)),"
    " held AS ("
    "  SELECT b.*, s.recovery_id, s.org_id, r.state = 'active' AS open,"
    "    EXISTS (SELECT 1 FROM recipient_opt_outs o WHERE o.org_id = s.org_id AND o.channel = b.channel"
    "            AND o.recipient_sha256 = b.recipient_sha256) AS opted_out"
    "  FROM b JOIN recovery_steps s ON s.id = b.step_id AND s.leased_by = b.leased_by AND s.attempts = b.attempts"
    "  JOIN recoveries r ON r.id = s.recovery_id),"
    " sending AS ("
    "  INSERT INTO notifications (org_id, recovery_id, step_id, channel, plugin, recipient_masked, status)"
    "  SELECT h.org_id, h.recovery_id, h.step_id, h.channel, h.plugin, h.recipient_masked, 'sending' FROM held h"
    "  WHERE h.open AND NOT h.opted_out ORDER BY h.step_id"
    "  ON CONFLICT (step_id, channel) DO NOTHING RETURNING id, step_id),"
    " linked AS ("
    "  INSERT INTO recovery_links (recovery_id, org_id, token_sha256, expires_at)"
    "  SELECT h.recovery_id, h.org_id, h.link_sha256, now() + make_interval(secs => h.link_ttl)"
    "  FROM held h JOIN sending n ON n.step_id = h.step_id ORDER BY h.step_id"
    "  RETURNING token_sha256, to_char(expires_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') AS expires_at)"
    " SELECT b.step_id::text,"
    "   CASE WHEN h.step_id IS NULL THEN 'claim_lost' WHEN NOT h.open THEN 'closed' WHEN h.opted_out THEN 'opted_out'"
    "        WHEN n.id IS NULL THEN 'started' ELSE 'sending' END,"
    "   n.id::text, l.expires_at"
    " FROM b LEFT JOIN held h ON h.step_id = b.step_id LEFT JOIN sending n ON n.step_id = b.step_id"
    " LEFT JOIN linked l ON l.token_sha256 = b.link_sha256";

std::vector<MessageStarted> NotificationStore::beginBatch(const std::vector<MessageStart>& starts) {
    if (starts.empty()) return {};
    std::vector<long long> steps, ttls;
    std::vector<int> attempts;
    std::vector<std::string> hosts, channels, plugins, masked, recipients, links;
    for (const MessageStart& s : starts) {
        steps.push_back(s.step->stepId);
        hosts.push_back(s.step->leasedBy);
        attempts.push_back(s.step->attempts);
        channels.push_back(s.channel);
        plugins.push_back(s.plugin);
        masked.push_back(s.maskedRecipient);
        recipients.push_back(s.recipientSha256);
        links.push_back(s.linkTokenSha256);
        ttls.push_back(s.linkTtlSeconds);
    }
    auto rows = pool_.with([&](PgConnection& c) {
        return c.query(hotpath::kBeginMessages,
                       {arrayLiteral(steps), textArrayLiteral(hosts), arrayLiteral(attempts), textArrayLiteral(channels),
                        textArrayLiteral(plugins), textArrayLiteral(masked), textArrayLiteral(recipients),
                        textArrayLiteral(links), arrayLiteral(ttls)});
    });
    std::map<long long, MessageStarted> byStep;
    for (const auto& r : rows)
        byStep[std::stoll(*r[0])] = MessageStarted{*r[1], r[2] ? std::stoll(*r[2]) : 0, r[3].value_or("")};
    std::vector<MessageStarted> out;
    out.reserve(starts.size());
    for (const MessageStart& s : starts) {
        auto it = byStep.find(s.step->stepId);
        // Every step of the batch answers; none missing is a bug, said as a lost claim (sends nothing).
        out.push_back(it != byStep.end() ? it->second : MessageStarted{"claim_lost", 0, ""});
    }
    return out;
}

}  // namespace tinko::store
