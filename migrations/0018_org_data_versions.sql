-- Hosts cache each org's data (API keys, rules, policies, plugin configs, templates, opt-outs,
-- the org row) in memory. Every change to those tables records the changing transaction's id
-- here, per org; each host polls for rows whose transaction id is at or above the oldest one
-- still running at its previous poll (store/OrgDataChanges), so a change is seen however the
-- transactions' commits interleave, and drops that org's cached entries.
CREATE TABLE org_data_versions (
    org_id BIGINT PRIMARY KEY,
    changed_xid XID8 NOT NULL,
    changed_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX org_data_versions_changed_xid ON org_data_versions (changed_xid);

CREATE FUNCTION org_data_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    changed BIGINT;
BEGIN
    -- TG_ARGV[0]: the column naming the org ('id' for orgs itself). Separate statements, since
    -- PL/pgSQL resolves a record's field only when the statement naming it runs.
    IF TG_ARGV[0] = 'id' THEN
        IF TG_OP = 'DELETE' THEN changed := OLD.id; ELSE changed := NEW.id; END IF;
    ELSE
        IF TG_OP = 'DELETE' THEN changed := OLD.org_id; ELSE changed := NEW.org_id; END IF;
    END IF;
    INSERT INTO org_data_versions (org_id, changed_xid) VALUES (changed, pg_current_xact_id())
    ON CONFLICT (org_id) DO UPDATE SET changed_xid = EXCLUDED.changed_xid, changed_at = now()
    WHERE org_data_versions.changed_xid <> EXCLUDED.changed_xid;
    RETURN NULL;
END;
$$;

CREATE TRIGGER orgs_changed AFTER INSERT OR UPDATE OR DELETE ON orgs
    FOR EACH ROW EXECUTE FUNCTION org_data_changed('id');
CREATE TRIGGER api_keys_changed AFTER INSERT OR UPDATE OR DELETE ON api_keys
    FOR EACH ROW EXECUTE FUNCTION org_data_changed('org_id');
CREATE TRIGGER org_plugin_configs_changed AFTER INSERT OR UPDATE OR DELETE ON org_plugin_configs
    FOR EACH ROW EXECUTE FUNCTION org_data_changed('org_id');
CREATE TRIGGER retry_policies_changed AFTER INSERT OR UPDATE OR DELETE ON retry_policies
    FOR EACH ROW EXECUTE FUNCTION org_data_changed('org_id');
CREATE TRIGGER recovery_rules_changed AFTER INSERT OR UPDATE OR DELETE ON recovery_rules
    FOR EACH ROW EXECUTE FUNCTION org_data_changed('org_id');
CREATE TRIGGER message_templates_changed AFTER INSERT OR UPDATE OR DELETE ON message_templates
    FOR EACH ROW EXECUTE FUNCTION org_data_changed('org_id');
CREATE TRIGGER recipient_opt_outs_changed AFTER INSERT OR UPDATE OR DELETE ON recipient_opt_outs
    FOR EACH ROW EXECUTE FUNCTION org_data_changed('org_id');
