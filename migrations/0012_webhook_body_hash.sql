-- A webhook delivery is also known by the hash of its body, which is what a PSP's signature
-- covers (Razorpay signs the body only): the same signed body is taken once, whatever unsigned
-- header comes with it.
ALTER TABLE provider_webhook_events ADD COLUMN body_sha256 TEXT;
CREATE UNIQUE INDEX provider_webhook_events_body ON provider_webhook_events (org_id, plugin, body_sha256)
    WHERE body_sha256 IS NOT NULL;
