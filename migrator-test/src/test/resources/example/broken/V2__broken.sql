ALTER TABLE customer ADD COLUMN email text NOT NUL;
