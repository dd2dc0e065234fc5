DROP TABLE story_table_links;
DROP TABLE story_tables;
