ALTER TABLE customer ADD COLUMN email_domain text;
