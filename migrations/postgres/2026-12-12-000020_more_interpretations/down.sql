ALTER TABLE observations DROP COLUMN more_interpretations;
