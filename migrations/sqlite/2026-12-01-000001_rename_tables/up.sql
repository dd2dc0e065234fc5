-- One word for one thing: a staff login is a "staff session", a duidingssessie is a
-- "sensemaking session" (see the glossary in docs/architecture.md).
ALTER TABLE sessions RENAME TO staff_sessions;
ALTER TABLE duiding_sessions RENAME TO sensemaking_sessions;
ALTER TABLE session_tables RENAME TO sensemaking_tables;
ALTER TABLE session_participants RENAME TO sensemaking_participants;
ALTER TABLE session_notes RENAME TO sensemaking_notes;
