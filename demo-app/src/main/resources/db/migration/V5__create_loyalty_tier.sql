-- Reference data lives on the data track: the rows come from db/data/D1__seed_loyalty_tiers.sql, so this file
-- stays pure DDL.
CREATE TABLE loyalty_tier (
    code             varchar(16)  PRIMARY KEY,
    name             varchar(100) NOT NULL,
    -- Orders a customer needs to reach the tier.
    min_orders       integer      NOT NULL CONSTRAINT loyalty_tier_min_orders_key UNIQUE
                                           CONSTRAINT loyalty_tier_min_orders_check CHECK (min_orders >= 0),
    discount_percent smallint     NOT NULL CONSTRAINT loyalty_tier_discount_percent_check
                                           CHECK (discount_percent BETWEEN 0 AND 100)
);
