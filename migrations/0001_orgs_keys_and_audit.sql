-- Orgs, their API keys, the host's own secrets, and the audit log of state changes.
-- Secrets are stored as SHA-256 digests only: they are 256-bit random tokens, shown once.

CREATE TABLE orgs (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    slug        TEXT NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
    name        TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE api_keys (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    org_id      BIGINT NOT NULL REFERENCES orgs (id),
    key_sha256  TEXT NOT NULL UNIQUE,
    key_prefix  TEXT NOT NULL,          -- the first characters, so people can tell keys apart
    label       TEXT,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    revoked_at  TIMESTAMPTZ
);
CREATE INDEX api_keys_org ON api_keys (org_id, id);

-- Host-wide secrets by name, e.g. the generated ops token.
CREATE TABLE host_secrets (
    name        TEXT PRIMARY KEY,
    sha256      TEXT NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE audit_log (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    org_id      BIGINT REFERENCES orgs (id),
    actor       TEXT NOT NULL,          -- "ops" or "org-key:<id>"
    action      TEXT NOT NULL,          -- e.g. "org.created", "api_key.revoked"
    subject     TEXT NOT NULL,
    details     JSONB NOT NULL DEFAULT '{}',
    at          TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX audit_log_org_at ON audit_log (org_id, at);
