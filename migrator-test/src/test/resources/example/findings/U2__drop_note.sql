-- The column comes back empty: the notes are in item_note.
ALTER TABLE item ADD COLUMN note text;
