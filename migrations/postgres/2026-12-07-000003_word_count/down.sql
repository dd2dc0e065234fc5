ALTER TABLE stories DROP COLUMN word_count;
