-- A plugin file's detached Ed25519 signature (base64 of 64 bytes), kept with its bytes: with
-- TINKO_PLUGIN_TRUSTED_KEYS set, every host checks it before it loads the file (at start, on
-- reconcile and rollback), not only the host the file was uploaded to.
ALTER TABLE plugin_files ADD COLUMN signature TEXT CHECK (signature ~ '^[A-Za-z0-9+/]{86}==$');
