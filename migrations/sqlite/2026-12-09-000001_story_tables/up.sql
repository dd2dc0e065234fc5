-- Verteltafels: a begeleider opens a table where a youth worker takes stories from several
-- tellers one after another on one device. Only the hash of the table code is kept.
CREATE TABLE story_tables (
    id TEXT PRIMARY KEY NOT NULL,
    project_slug TEXT NOT NULL REFERENCES projects(slug) ON DELETE CASCADE,
    name TEXT NOT NULL,
    place TEXT NOT NULL,
    code_hash TEXT NOT NULL UNIQUE,
    opened_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    closed_at BIGINT
);
CREATE INDEX story_tables_project ON story_tables (project_slug, opened_at);

-- Which story was told at which table, and when the worker confirmed that the consent text
-- was read aloud and the teller said yes. Goes with its story.
CREATE TABLE story_table_links (
    story_id TEXT PRIMARY KEY NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
    table_id TEXT NOT NULL REFERENCES story_tables(id) ON DELETE CASCADE,
    consent_read_at BIGINT NOT NULL
);
CREATE INDEX story_table_links_table ON story_table_links (table_id);
