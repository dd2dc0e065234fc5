-- Index what is pending, then index new stories with them again.
INSERT INTO stories_fts(rowid, title, body)
    SELECT s.rowid, s.title, s.body
    FROM stories_fts_pending p JOIN stories s ON s.rowid = p.story_rowid;
DROP TRIGGER stories_fts_insert;
DROP TRIGGER stories_fts_delete;
DROP TRIGGER stories_fts_update;
DROP TABLE stories_fts_pending;
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
