-- SQLite only (its full-text index follows new stories, see the SQLite migration of the
-- same name). PostgreSQL computes `search_vector` with the row; the numbering stays equal.
SELECT 1;
