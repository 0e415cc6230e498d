-- Recipients who unsubscribed from an org's channel (Twilio answers 21610 after a STOP): the
-- scheduler sends them nothing more on that channel. Only a hash of the address is kept, with the
-- masked form for people.
CREATE TABLE recipient_opt_outs (
    org_id            BIGINT NOT NULL REFERENCES orgs (id),
    channel           TEXT NOT NULL,
    recipient_sha256  TEXT NOT NULL,
    recipient_masked  TEXT NOT NULL,
    plugin            TEXT NOT NULL,
    created_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (org_id, channel, recipient_sha256)
);

-- Delivery reports (status callbacks) find their message by the provider's id.
CREATE INDEX notifications_provider_message ON notifications (org_id, plugin, provider_message_id)
    WHERE provider_message_id IS NOT NULL;
