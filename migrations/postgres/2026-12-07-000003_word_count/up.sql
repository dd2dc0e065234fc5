-- The story's length in words, kept so that analysis never has to read the texts.
-- Filled for existing stories when the application opens the database (store::stories).
ALTER TABLE stories ADD COLUMN word_count INTEGER;
