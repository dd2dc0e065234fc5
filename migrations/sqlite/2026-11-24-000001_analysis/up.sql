-- Bumped by every change to a project's stories or questionnaire, so that cached analyses
-- (on every instance) know when to recompute.
ALTER TABLE projects ADD COLUMN data_revision BIGINT NOT NULL DEFAULT 0;
