-- migrator:allow drop-column the notes moved to item_note in V1, nothing reads this column
ALTER TABLE item DROP COLUMN note;
