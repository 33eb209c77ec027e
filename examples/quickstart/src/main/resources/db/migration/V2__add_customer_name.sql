ALTER TABLE customer ADD COLUMN name text;
