-- What the hot paths look up, indexed so that they do not slow down as closed recoveries pile up
-- (tests/integration/HotPathIndexTest EXPLAINs each statement of store/HotPathSql.h).
-- Ingest finds a transaction's recovery in any state; recoveries_one_active covers only active ones.
CREATE INDEX recoveries_transaction ON recoveries (transaction_id, id);
