-- The public page "Wat is er met de verhalen gedaan?" (issue 23, item 3): whether a project
-- shows it, and which observation cards it publishes. Both are switched by a begeleider and
-- audit-logged; a row here is the only thing that makes a card public.
CREATE TABLE public_results (
    project_slug TEXT PRIMARY KEY NOT NULL REFERENCES projects (slug),
    switched_on_at BIGINT NOT NULL
);

CREATE TABLE published_observations (
    observation_id TEXT PRIMARY KEY NOT NULL REFERENCES observations (id) ON DELETE CASCADE,
    project_slug TEXT NOT NULL,
    published_at BIGINT NOT NULL
);

CREATE INDEX published_observations_project ON published_observations (project_slug);
