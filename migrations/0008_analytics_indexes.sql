-- What the analytics answers read (store/AnalyticsStore.cpp, /v1/retry/stats with a range): each
-- index starts with org_id and the time column a range is taken on, and INCLUDEs the columns that
-- are aggregated, so a range is one index-only scan instead of a visit to every row of the org.

-- Recoveries started in a range: counts by state, category, PSP and day.
CREATE INDEX recoveries_org_created_facts ON recoveries (org_id, created_at) INCLUDE (state, category, psp);
-- Recoveries recovered in a range (closed_at), with what the amounts, breakdowns and the median need.
CREATE INDEX recoveries_org_recovered ON recoveries (org_id, closed_at)
    INCLUDE (id, created_at, category, psp, recovered_amount, transaction_id) WHERE state = 'recovered';
-- Their currency, read without visiting the transaction rows.
CREATE INDEX transactions_currency ON transactions (id) INCLUDE (currency);
-- Messages sent in a range, by channel and status; and per recovery, for the recoveries they led to.
CREATE INDEX notifications_org_created ON notifications (org_id, created_at) INCLUDE (channel, status);
CREATE INDEX notifications_recovery_facts ON notifications (recovery_id) INCLUDE (channel, status, created_at);
-- Links issued in a range: opens and pay clicks; the paid ones by recovery.
CREATE INDEX recovery_links_org_created ON recovery_links (org_id, created_at) INCLUDE (open_count, pay_clicks, recovery_id);
CREATE INDEX recovery_links_paid ON recovery_links (recovery_id) WHERE pay_clicks > 0;
-- Failure events received in a range (/v1/retry/stats counts them).
CREATE INDEX failure_events_org_created ON failure_events (org_id, created_at);
