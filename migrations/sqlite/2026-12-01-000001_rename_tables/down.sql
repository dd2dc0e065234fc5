ALTER TABLE sensemaking_notes RENAME TO session_notes;
ALTER TABLE sensemaking_participants RENAME TO session_participants;
ALTER TABLE sensemaking_tables RENAME TO session_tables;
ALTER TABLE sensemaking_sessions RENAME TO duiding_sessions;
ALTER TABLE staff_sessions RENAME TO sessions;
