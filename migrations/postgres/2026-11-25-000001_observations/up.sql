-- Observaties: a strong pattern written up for a duidingssessie (issue 5).
CREATE TABLE observations (
    id TEXT PRIMARY KEY,
    project_slug TEXT NOT NULL REFERENCES projects(slug),
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    interpretation_a TEXT NOT NULL DEFAULT '',
    interpretation_b TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT '',
    theme TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL,
    -- JSON: the pattern, its filter, its chart and figures when they were taken (NULL when the
    -- observation was started without a pattern).
    pattern TEXT,
    figures_at BIGINT,
    created_by TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX observations_by_project ON observations(project_slug, updated_at);

CREATE TABLE observation_stories (
    observation_id TEXT NOT NULL REFERENCES observations(id) ON DELETE CASCADE,
    story_id TEXT NOT NULL REFERENCES stories(id),
    position INTEGER NOT NULL,
    PRIMARY KEY (observation_id, story_id)
);

CREATE TABLE observation_quotes (
    id TEXT PRIMARY KEY,
    observation_id TEXT NOT NULL REFERENCES observations(id) ON DELETE CASCADE,
    story_id TEXT NOT NULL REFERENCES stories(id),
    text TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX observation_quotes_by_observation ON observation_quotes(observation_id);
