-- Undo of V1 (--migrator.command=undo --migrator.schema.target=0): back to an empty schema.
DROP TABLE product;
DROP TABLE customer;
