-- 200 ranges of 1,000 rows for the crash test's backfill; touched counts how often a row was processed.
CREATE TABLE item (id bigint PRIMARY KEY, touched int NOT NULL DEFAULT 0);
INSERT INTO item (id) SELECT g FROM generate_series(1, 200000) AS g;
