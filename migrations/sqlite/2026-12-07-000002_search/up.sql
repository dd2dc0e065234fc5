-- Full-text search in the title and text of stories (store/search_index.rs). An FTS5 index
-- with external content: the text stays in `stories` only; the index row of a story has the
-- story's rowid. unicode61 folds case and removes diacritics ("cafe" finds "café").
CREATE VIRTUAL TABLE stories_fts USING fts5(
    title,
    body,
    content = 'stories',
    content_rowid = 'rowid',
    tokenize = 'unicode61 remove_diacritics 2'
);
-- A text removed from a story (withdrawal, redaction, retention) is removed from the index
-- itself, not only marked as deleted until segments happen to be merged.
INSERT INTO stories_fts(stories_fts, rank) VALUES ('secure-delete', 1);

-- The triggers keep the index equal to the stories, whichever code changes them. An external
-- content index must be told the old values to take them out.
CREATE TRIGGER stories_fts_insert AFTER INSERT ON stories BEGIN
    INSERT INTO stories_fts(rowid, title, body) VALUES (new.rowid, new.title, new.body);
END;
CREATE TRIGGER stories_fts_delete AFTER DELETE ON stories BEGIN
    INSERT INTO stories_fts(stories_fts, rowid, title, body)
        VALUES ('delete', old.rowid, old.title, old.body);
END;
CREATE TRIGGER stories_fts_update AFTER UPDATE OF title, body ON stories
WHEN old.title IS NOT new.title OR old.body IS NOT new.body BEGIN
    INSERT INTO stories_fts(stories_fts, rowid, title, body)
        VALUES ('delete', old.rowid, old.title, old.body);
    INSERT INTO stories_fts(rowid, title, body) VALUES (new.rowid, new.title, new.body);
END;

-- The stories that are already there.
INSERT INTO stories_fts(stories_fts) VALUES ('rebuild');
