DROP TRIGGER stories_fts_update;
DROP TRIGGER stories_fts_delete;
DROP TRIGGER stories_fts_insert;
DROP TABLE stories_fts;
