-- Undo of V74: the column and its index. jobs_view selects the column, so it goes first (with its
-- trigger); the repeatable migration that defines it runs again at the next migrate. The backfilled
-- values are derived from runs, so nothing is lost that V74 cannot fill again.
DROP TRIGGER IF EXISTS update_symlinks ON jobs_view;
DROP VIEW IF EXISTS jobs_view CASCADE;
DROP INDEX IF EXISTS jobs_current_run_uuid_idx;
ALTER TABLE jobs DROP COLUMN current_run_uuid;
