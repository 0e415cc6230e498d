-- The card (payment method) a failed payment used: Stripe takes it off a PaymentIntent that
-- failed, so an off-session retry must name it again.
ALTER TABLE transactions ADD COLUMN payment_method TEXT;
