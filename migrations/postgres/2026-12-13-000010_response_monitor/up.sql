-- The response monitor (issue 23): place and channel links, and counters kept per project,
-- day, role, place and language. Nothing here is about one person: no cookie, no address,
-- no story id; an event only adds one to a count.

-- A named link per place or channel (a waiting room, a school, a newsletter): /v/{p}?plek=CODE.
CREATE TABLE place_links (
    project_slug TEXT NOT NULL REFERENCES projects(slug) ON DELETE CASCADE,
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (project_slug, code)
);

-- How often the form was opened, started and sent. place: '' without a place link,
-- 'onbekend' for a code the project does not know. stage: geopend, begonnen, verstuurd.
CREATE TABLE response_counts (
    project_slug TEXT NOT NULL REFERENCES projects(slug) ON DELETE CASCADE,
    day TEXT NOT NULL,
    role TEXT NOT NULL,
    place TEXT NOT NULL,
    language TEXT NOT NULL,
    stage TEXT NOT NULL,
    count BIGINT NOT NULL,
    PRIMARY KEY (project_slug, day, role, place, language, stage)
);

-- How long sending took (from opening the form), as a histogram per day: bucket is the
-- lower bound in seconds. Never stored with a story.
CREATE TABLE response_durations (
    project_slug TEXT NOT NULL REFERENCES projects(slug) ON DELETE CASCADE,
    day TEXT NOT NULL,
    bucket BIGINT NOT NULL,
    count BIGINT NOT NULL,
    PRIMARY KEY (project_slug, day, bucket)
);

-- What the begeleider aims for: kind 'rol' or 'gemeente' with a value and a number of
-- stories, or kind 'negatief' (value '') with the expected share of negative stories in %.
CREATE TABLE response_targets (
    project_slug TEXT NOT NULL REFERENCES projects(slug) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    value TEXT NOT NULL,
    target BIGINT NOT NULL,
    PRIMARY KEY (project_slug, kind, value)
);
