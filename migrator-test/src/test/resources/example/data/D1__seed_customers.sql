INSERT INTO customer (email, name) VALUES ('ada@Example.COM', 'Ada'), ('grace@example.org', 'Grace');
