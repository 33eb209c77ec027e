-- Nullable, so existing orders need no backfill and the table is not rewritten.
ALTER TABLE purchase_order ADD COLUMN note varchar(500);
