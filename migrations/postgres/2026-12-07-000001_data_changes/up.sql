-- What changed in a project's analysable data, one row per change, appended and never updated.
-- It replaces projects.data_revision, which every story transaction had to update: with many
-- tellers at once they all queued on that one row lock.
-- story_id NULL means the whole project (questionnaire, settings): caches reload it.
-- txid is the writing transaction's id: a reader takes the oldest transaction still running
-- before it reads, so a change committed late (with a lower id) is never skipped.
CREATE TABLE data_changes (
    id BIGSERIAL PRIMARY KEY,
    project_slug TEXT NOT NULL,
    story_id TEXT,
    txid BIGINT NOT NULL DEFAULT txid_current(),
    created_at BIGINT NOT NULL
);
CREATE INDEX data_changes_by_project_txid ON data_changes (project_slug, txid);
ALTER TABLE projects DROP COLUMN data_revision;
