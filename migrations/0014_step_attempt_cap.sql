-- Poison steps: a policy caps how often one step runs; a step that reaches the cap is 'failed'.
ALTER TABLE retry_policies ADD COLUMN max_step_attempts INTEGER NOT NULL DEFAULT 8
    CHECK (max_step_attempts BETWEEN 1 AND 100);
ALTER TABLE recovery_steps DROP CONSTRAINT recovery_steps_state_check;
ALTER TABLE recovery_steps ADD CONSTRAINT recovery_steps_state_check
    CHECK (state IN ('pending', 'running', 'done', 'cancelled', 'failed'));
