-- The scheduler claims in batches from two index-backed branches (store/StepStore.cpp,
-- kClaimDueSteps): pending steps by due_at (recovery_steps_due), and running steps whose lease ran
-- out by lease_until (this index). Without it the lease branch read every open step, including the
-- many not yet due, on every poll.
CREATE INDEX recovery_steps_lease_ends ON recovery_steps (lease_until) WHERE state = 'running';
