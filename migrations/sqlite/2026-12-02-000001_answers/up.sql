-- Issue 16, answers that mean what the teller meant.
--
-- From now on a slider the teller did not touch is stored as not answered (before, the form
-- sent its start position, 50). Projects that already have stories get a new questionnaire
-- version (same definition), so that "stories from version N on" are exactly the stories
-- stored under the new rule; `sliders_unset_from` records N. New projects start at 1.
ALTER TABLE projects ADD COLUMN sliders_unset_from INTEGER NOT NULL DEFAULT 1;

INSERT INTO questionnaires (project_slug, version, definition, created_at)
SELECT q.project_slug, q.version + 1, q.definition, CAST(strftime('%s', 'now') AS INTEGER)
FROM questionnaires q
JOIN projects p ON p.slug = q.project_slug AND q.version = p.current_version
WHERE EXISTS (SELECT 1 FROM stories s WHERE s.project_slug = p.slug);

UPDATE projects
SET sliders_unset_from = current_version + 1, current_version = current_version + 1
WHERE EXISTS (SELECT 1 FROM stories s WHERE s.project_slug = projects.slug);

-- "Later verder": a teller's unfinished story, found again with a resume code of which only
-- the hash is kept. Never counted, analysed, exported or shown to staff; the retention loop
-- erases it at `expires_at`.
CREATE TABLE story_drafts (
    key_hash TEXT PRIMARY KEY NOT NULL,
    resume_hash TEXT NOT NULL UNIQUE,
    project_slug TEXT NOT NULL REFERENCES projects (slug) ON DELETE CASCADE,
    content TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX story_drafts_expires_at ON story_drafts (expires_at);
