DROP INDEX stories_search;
ALTER TABLE stories DROP COLUMN search_vector;
