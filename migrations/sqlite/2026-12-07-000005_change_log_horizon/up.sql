-- How far the change log has been pruned (store::changes::prune): a reader whose position lies
-- before this has missed removed entries and reads its project in full again. One row, written
-- only by the retention run.
CREATE TABLE data_changes_pruned (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    through_id BIGINT NOT NULL,
    through_txid BIGINT NOT NULL
);
INSERT INTO data_changes_pruned (id, through_id, through_txid) VALUES (1, 0, 0);
