ALTER TABLE projects DROP COLUMN data_revision;
