-- Nullable, so adding it neither rewrites nor long-locks the table. The data track fills the existing rows
-- (D3__BackfillCustomerEmailDomain, in ranges of ids) and the application fills new ones. NOT NULL can follow in a
-- later release, once every instance writes the column.
ALTER TABLE customer ADD COLUMN email_domain varchar(253);
