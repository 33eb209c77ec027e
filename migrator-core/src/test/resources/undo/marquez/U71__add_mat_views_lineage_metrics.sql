-- Undo of V71: its two materialized views (the daily one is back from U72 by now) and their indexes.
DROP MATERIALIZED VIEW IF EXISTS lineage_events_by_type_daily_view;
DROP MATERIALIZED VIEW IF EXISTS lineage_events_by_type_hourly_view;
