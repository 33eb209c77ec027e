-- Undo of V5 (undo D1 first: the data track returns below 1 with --migrator.data.target=0).
DROP TABLE loyalty_tier;
