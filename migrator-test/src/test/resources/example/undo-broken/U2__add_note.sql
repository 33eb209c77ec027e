-- Forgets the index.
ALTER TABLE item DROP COLUMN note CASCADE;
CREATE INDEX item_name ON item (name);
