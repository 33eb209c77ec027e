-- Undo of V3, without blocking writes either: outside a transaction, like V3 (see the .sql.conf beside it).
DROP INDEX CONCURRENTLY IF EXISTS purchase_order_customer_id_idx;
