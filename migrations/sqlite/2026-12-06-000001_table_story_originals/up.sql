-- A begeleider may approve the own text of a story for a table (when its teller allowed
-- quotes); without approval the table shows the text without names and numbers.
ALTER TABLE table_materials ADD COLUMN original_approved BOOLEAN NOT NULL DEFAULT FALSE;
