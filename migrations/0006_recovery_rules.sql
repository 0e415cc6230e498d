-- An org's recovery rules: the first match in priority order picks the policy and channels of a
-- new recovery, or skips recovery (recovery/Rules.h).
CREATE TABLE recovery_rules (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    org_id      BIGINT NOT NULL REFERENCES orgs (id),
    priority    INT NOT NULL CHECK (priority BETWEEN 1 AND 1000000),
    conditions  JSONB NOT NULL,
    actions     JSONB NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX recovery_rules_org ON recovery_rules (org_id, priority, id);

-- The rule that decided a recovery, as it was then (rules may change or go later), so a merchant
-- can see why the recovery went the way it did. A rule may also skip recovery altogether.
ALTER TABLE recoveries ADD COLUMN decided_by_rule JSONB;
ALTER TABLE recoveries DROP CONSTRAINT recoveries_state_check;
ALTER TABLE recoveries ADD CONSTRAINT recoveries_state_check
    CHECK (state IN ('active', 'recovered', 'unrecoverable', 'cancelled', 'exhausted', 'skipped'));
