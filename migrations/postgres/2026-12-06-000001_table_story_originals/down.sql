ALTER TABLE table_materials DROP COLUMN original_approved;
