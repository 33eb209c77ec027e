-- Undo of V4: the notes go with the column.
ALTER TABLE purchase_order DROP COLUMN note;
