-- What changed in a project's analysable data, one row per change, appended and never updated
-- (it replaces projects.data_revision). story_id NULL means the whole project (questionnaire,
-- settings). SQLite commits one writer at a time, so ids become visible in order and a reader
-- needs only the last id it saw; txid is used on PostgreSQL only.
CREATE TABLE data_changes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    project_slug TEXT NOT NULL,
    story_id TEXT,
    txid BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL
);
CREATE INDEX data_changes_by_project ON data_changes (project_slug, id);
ALTER TABLE projects DROP COLUMN data_revision;
