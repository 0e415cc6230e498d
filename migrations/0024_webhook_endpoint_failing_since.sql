-- Issue 15: an endpoint that has failed every attempt for three days is disabled (by the delivery
-- workers, with disabled_reason saying so). `failing_since` is when the current run of failures
-- began: set by the first failed attempt after a success, cleared by the next success.
ALTER TABLE webhook_endpoints ADD COLUMN failing_since TIMESTAMPTZ;
