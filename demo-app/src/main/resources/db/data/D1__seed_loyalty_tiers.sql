-- The initial loyalty tiers, for the table that schema migration V5 created. Versioned: it runs once, and a later
-- change to the tiers is a new D migration, so every database gets the same history.
INSERT INTO loyalty_tier (code, name, min_orders, discount_percent) VALUES
    ('BRONZE', 'Bronze', 0, 0),
    ('SILVER', 'Silver', 5, 5),
    ('GOLD', 'Gold', 20, 10);
