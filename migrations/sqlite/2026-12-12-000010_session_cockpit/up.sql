-- The session cockpit: the phase every table sees with its timer, and whether the votes are
-- shown. Votes stay hidden until the begeleider reveals them (visible votes steer later
-- voters); sessions planned before this keep showing theirs.
ALTER TABLE sensemaking_sessions ADD COLUMN phase TEXT NOT NULL DEFAULT '';
ALTER TABLE sensemaking_sessions ADD COLUMN phase_started_at BIGINT;
ALTER TABLE sensemaking_sessions ADD COLUMN phase_ends_at BIGINT;
ALTER TABLE sensemaking_sessions ADD COLUMN votes_revealed_at BIGINT;
UPDATE sensemaking_sessions SET votes_revealed_at = created_at;
-- A begeleider can put notes of one table in a groep of another; a board reads the notes of
-- its table and those in its groepen.
CREATE INDEX sensemaking_notes_by_cluster ON sensemaking_notes(cluster_id);
