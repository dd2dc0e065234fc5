-- An observation may carry more than its two required interpretations (issue 22): the
-- third, fourth and fifth, as a JSON array of strings. interpretation_a and _b stay the
-- first two, so observations made before keep working unchanged.
ALTER TABLE observations ADD COLUMN more_interpretations TEXT NOT NULL DEFAULT '[]';
