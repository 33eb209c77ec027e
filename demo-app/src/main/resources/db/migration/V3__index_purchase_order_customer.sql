-- Built without blocking writes to a live purchase_order table. CONCURRENTLY cannot run inside a
-- transaction, hence executeInTransaction=false in the .sql.conf file beside this one.
CREATE INDEX CONCURRENTLY purchase_order_customer_id_idx ON purchase_order (customer_id);
