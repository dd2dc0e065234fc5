ALTER TABLE stories DROP COLUMN text_deleted_at;
ALTER TABLE stories DROP COLUMN safety_handled_at;
ALTER TABLE stories DROP COLUMN safety_flag;
