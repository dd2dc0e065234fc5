-- The full-text index follows new stories instead of being written with them
-- (store/search_index.rs). Indexing a story in FTS5 cost a third of the single writer's time
-- per story; now a new story only notes its rowid in `stories_fts_pending`, and the pending
-- stories are indexed in batches: before every search, and in the background every few
-- seconds. A search therefore always sees every story.
--
-- An external-content FTS5 index must never be told to delete what it does not hold, so the
-- delete and update triggers leave pending stories alone: those are indexed with whatever
-- their text is when their turn comes.
CREATE TABLE stories_fts_pending (
    story_rowid INTEGER PRIMARY KEY NOT NULL
);

DROP TRIGGER stories_fts_insert;
DROP TRIGGER stories_fts_delete;
DROP TRIGGER stories_fts_update;

CREATE TRIGGER stories_fts_insert AFTER INSERT ON stories BEGIN
    INSERT INTO stories_fts_pending (story_rowid) VALUES (new.rowid);
END;
CREATE TRIGGER stories_fts_delete AFTER DELETE ON stories BEGIN
    INSERT INTO stories_fts(stories_fts, rowid, title, body)
        SELECT 'delete', old.rowid, old.title, old.body
        WHERE NOT EXISTS (SELECT 1 FROM stories_fts_pending WHERE story_rowid = old.rowid);
    DELETE FROM stories_fts_pending WHERE story_rowid = old.rowid;
END;
CREATE TRIGGER stories_fts_update AFTER UPDATE OF title, body ON stories
WHEN (old.title IS NOT new.title OR old.body IS NOT new.body)
    AND NOT EXISTS (SELECT 1 FROM stories_fts_pending WHERE story_rowid = old.rowid) BEGIN
    INSERT INTO stories_fts(stories_fts, rowid, title, body)
        VALUES ('delete', old.rowid, old.title, old.body);
    INSERT INTO stories_fts(rowid, title, body) VALUES (new.rowid, new.title, new.body);
END;
