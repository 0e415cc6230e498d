-- Issue 16 (recover more money): the columns more than one part of the work reads or writes.
--
-- Which card a payment was made with, so the card networks' retry limits can be counted across
-- every recovery of that card in the org: 'fp:<card fingerprint>' when the PSP gives one (it stays
-- the same across payment method objects of one card), else 'pm:<payment method id>'. Written by
-- ingest (from the failed payment's event) and when the customer saves a new card.
ALTER TABLE transactions ADD COLUMN card_key TEXT;
-- The card's network, lower case: visa, mastercard, amex, discover, jcb, unionpay, diners, rupay,
-- or other. NULL when unknown (the limits of the network '*' apply then).
ALTER TABLE transactions ADD COLUMN card_network TEXT;

-- How a recovered recovery was recovered, for analytics (set with state = 'recovered'):
--   charge_retry  a charge retry of the card on file succeeded (or its pending charge settled)
--   link          the customer paid through the recovery link's checkout
--   new_card      the customer saved a new card and the charge with it succeeded
--   outside       the PSP reported the payment paid with no Tinko charge, checkout or new card
--                 before it (including a charge retry that found it already paid)
ALTER TABLE recoveries ADD COLUMN recovered_by TEXT
    CHECK (recovered_by IN ('charge_retry', 'link', 'new_card', 'outside'));
-- When the customer saved a new card during this recovery (the new-card path's mark).
ALTER TABLE recoveries ADD COLUMN new_card_at TIMESTAMPTZ;
