ALTER TABLE data_changes DROP COLUMN workflow;
