-- The age of the oldest undelivered event (/metrics: tinko_webhook_oldest_undelivered_age_seconds),
-- measured every second: per enabled endpoint, its first pending delivery in feed order is one probe
-- of this index, however many deliveries a failing endpoint has piled up.
CREATE INDEX webhook_deliveries_pending_by_endpoint ON webhook_deliveries (endpoint_id, seq) WHERE state = 'pending';
