ALTER TABLE projects ADD COLUMN data_revision BIGINT NOT NULL DEFAULT 0;
DROP TABLE data_changes;
