ALTER TABLE item ADD COLUMN note text;
CREATE INDEX item_note ON item (note);
