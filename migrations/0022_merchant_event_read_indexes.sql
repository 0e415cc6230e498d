-- Indexes for reading merchant events (issue 15): the backlog /metrics shows, and the feed by type.

-- The age of the oldest undelivered event (/metrics: tinko_webhook_oldest_undelivered_age_seconds),
-- measured every second: per enabled endpoint, its first pending delivery in feed order is one probe
-- of this index, however many deliveries a failing endpoint has piled up.
CREATE INDEX webhook_deliveries_pending_by_endpoint ON webhook_deliveries (endpoint_id, seq) WHERE state = 'pending';

-- GET /v1/events?type=...: each type's events in feed order, so a filter for a rare type (or one
-- that never happened) reads only its own events, never the org's whole history. Like
-- merchant_events_feed it holds dispatched events only, so the outbox insert does not write it.
CREATE INDEX merchant_events_feed_by_type ON merchant_events (org_id, type, seq) WHERE seq IS NOT NULL;
