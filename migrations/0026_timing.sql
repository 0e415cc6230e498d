-- Issue 16, timing: when a policy lets steps happen, in the customer's local time.
--
-- The policy's timing rules, as the API shows them (recovery/RecoveryPlan.h, timing/TimingJson.h):
-- {"send_window": "09:00-20:00" | null, "avoid_weekends": bool, "charge_days": [1, 15] |
-- "last_business_day" | null, "jitter_seconds": 0..600}. '{}' = no rules: steps fall due exactly
-- as the delays say, as before.
ALTER TABLE retry_policies ADD COLUMN timing JSONB NOT NULL DEFAULT '{}';

-- The org's default time zone (an IANA name), for customers whose event names neither a
-- customer.timezone nor a customer.country.
ALTER TABLE orgs ADD COLUMN timezone TEXT NOT NULL DEFAULT 'UTC';
