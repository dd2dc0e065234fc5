DROP TABLE data_changes_pruned;
