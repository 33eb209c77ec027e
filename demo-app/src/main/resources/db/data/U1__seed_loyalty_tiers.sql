-- Undo of D1: the initial tiers.
DELETE FROM loyalty_tier WHERE code IN ('BRONZE', 'SILVER', 'GOLD');
