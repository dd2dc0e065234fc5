DROP INDEX sensemaking_notes_by_cluster;
ALTER TABLE sensemaking_sessions DROP COLUMN votes_revealed_at;
ALTER TABLE sensemaking_sessions DROP COLUMN phase_ends_at;
ALTER TABLE sensemaking_sessions DROP COLUMN phase_started_at;
ALTER TABLE sensemaking_sessions DROP COLUMN phase;
