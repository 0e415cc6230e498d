-- An org's message templates (notify/MessageTemplate.h): Mustache text per channel and locale.
-- The customer's locale picks one; an org's default for a channel is the fallback before the
-- built-in English messages. Subject and HTML exist for email only.
CREATE TABLE message_templates (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    org_id      BIGINT NOT NULL REFERENCES orgs (id),
    name        TEXT NOT NULL,
    channel     TEXT NOT NULL CHECK (channel IN ('email', 'sms')),
    locale      TEXT NOT NULL,
    subject     TEXT,
    text        TEXT NOT NULL,
    html        TEXT,
    is_default  BOOLEAN NOT NULL DEFAULT false,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (org_id, channel, locale),
    CHECK (channel = 'sms' OR subject IS NOT NULL),
    CHECK (channel = 'email' OR (subject IS NULL AND html IS NULL))
);
-- At most one default per org and channel.
CREATE UNIQUE INDEX message_templates_one_default ON message_templates (org_id, channel) WHERE is_default;
