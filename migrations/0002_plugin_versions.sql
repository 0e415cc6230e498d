-- Which version of each plugin is active, shared by every host. The plugin files themselves are
-- kept here by SHA-256 (a few MB each), so a host on another machine loads exactly the same bytes
-- without a shared filesystem. Activations are append-only: the newest row per plugin is active,
-- and the rows before it are the history that rollback walks back through.

CREATE TABLE plugin_files (
    sha256      TEXT PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    bytes       BYTEA NOT NULL,
    size_bytes  BIGINT NOT NULL,
    stored_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE plugin_activations (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    plugin_name   TEXT NOT NULL,
    sha256        TEXT NOT NULL REFERENCES plugin_files (sha256),
    version       TEXT NOT NULL,
    kind          TEXT NOT NULL CHECK (kind IN ('psp', 'channel')),
    action        TEXT NOT NULL CHECK (action IN ('load', 'swap', 'rollback')),
    activated_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX plugin_activations_by_plugin ON plugin_activations (plugin_name, id);
