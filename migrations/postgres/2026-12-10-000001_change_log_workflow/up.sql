-- A change to a story's place in the staff workflow only (marked reviewed, safety signal
-- handled): the staff list follows it, the analysis and the research API's snapshots do not,
-- because the analysable data did not change.
ALTER TABLE data_changes ADD COLUMN workflow BOOLEAN NOT NULL DEFAULT FALSE;
