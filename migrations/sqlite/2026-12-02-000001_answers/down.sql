DROP TABLE story_drafts;
ALTER TABLE projects DROP COLUMN sliders_unset_from;
