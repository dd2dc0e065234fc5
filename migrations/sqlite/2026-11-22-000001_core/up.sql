-- Core tables of Vertelpunt. Times are Unix seconds (UTC) in BIGINT so that both backends
-- store and compare them the same way.
CREATE TABLE app_settings (
    name TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
);

CREATE TABLE projects (
    slug TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    is_open BOOLEAN NOT NULL DEFAULT 1,
    settings TEXT NOT NULL,
    current_version INTEGER NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE questionnaires (
    project_slug TEXT NOT NULL REFERENCES projects(slug) ON DELETE CASCADE,
    version INTEGER NOT NULL,
    definition TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (project_slug, version)
);

CREATE TABLE stories (
    id TEXT PRIMARY KEY NOT NULL,
    project_slug TEXT NOT NULL REFERENCES projects(slug) ON DELETE CASCADE,
    questionnaire_version INTEGER NOT NULL,
    participant_id TEXT,
    role TEXT NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    language TEXT NOT NULL,
    channel TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    is_complete BOOLEAN NOT NULL,
    consent_analysis BOOLEAN NOT NULL,
    consent_quotes BOOLEAN NOT NULL,
    withdrawal_code_hash TEXT,
    withdrawn_at BIGINT,
    submission_key TEXT UNIQUE,
    FOREIGN KEY (project_slug, questionnaire_version)
        REFERENCES questionnaires(project_slug, version)
);
CREATE INDEX stories_by_project ON stories(project_slug, created_at);
CREATE INDEX stories_by_withdrawal_code ON stories(withdrawal_code_hash);

CREATE TABLE answers (
    story_id TEXT NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
    question_key TEXT NOT NULL,
    number_value INTEGER,
    text_value TEXT,
    is_na BOOLEAN NOT NULL DEFAULT 0,
    PRIMARY KEY (story_id, question_key)
);
