-- Duidingssessies (issue 6): a session with tables, the material each table reads, the
-- participants (no accounts), their notes, clusters and votes, and the verbetervoorstellen
-- that come out of it with their follow-up.
CREATE TABLE duiding_sessions (
    id TEXT PRIMARY KEY,
    project_slug TEXT NOT NULL REFERENCES projects(slug),
    title TEXT NOT NULL,
    starts_at BIGINT NOT NULL,
    duration_minutes INTEGER NOT NULL,
    place TEXT NOT NULL,
    is_online BOOLEAN NOT NULL,
    purpose TEXT NOT NULL,
    -- The join code is HMAC(secret, id + salt); only its SHA-256 is kept, for the lookup.
    code_hash TEXT NOT NULL UNIQUE,
    code_salt TEXT NOT NULL,
    closed_at BIGINT,
    -- What the join link does after closing: 'lezen' (read-only) or 'uit' (off).
    after_close TEXT NOT NULL,
    max_cards INTEGER NOT NULL,
    max_stories INTEGER NOT NULL,
    votes_per_person INTEGER NOT NULL,
    created_by TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX duiding_sessions_by_project ON duiding_sessions(project_slug, starts_at);

CREATE TABLE session_tables (
    id TEXT PRIMARY KEY,
    session_id TEXT NOT NULL REFERENCES duiding_sessions(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    colour TEXT NOT NULL,
    position INTEGER NOT NULL,
    -- Bumped by every change at the table: open boards poll it to know when to reload.
    revision BIGINT NOT NULL
);
CREATE INDEX session_tables_by_session ON session_tables(session_id, position);

-- What a table reads: 'kaart' (observation id), 'verhaal' (story id) or 'voorstel' (a
-- proposal of an earlier session, reopened here).
CREATE TABLE table_materials (
    table_id TEXT NOT NULL REFERENCES session_tables(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    ref_id TEXT NOT NULL,
    position INTEGER NOT NULL,
    PRIMARY KEY (table_id, kind, ref_id)
);

CREATE TABLE session_participants (
    id TEXT PRIMARY KEY,
    session_id TEXT NOT NULL REFERENCES duiding_sessions(id) ON DELETE CASCADE,
    table_id TEXT NOT NULL REFERENCES session_tables(id) ON DELETE CASCADE,
    display_name TEXT NOT NULL,
    perspective TEXT NOT NULL,
    joined_at BIGINT NOT NULL
);
CREATE INDEX session_participants_by_table ON session_participants(table_id);

CREATE TABLE note_clusters (
    id TEXT PRIMARY KEY,
    table_id TEXT NOT NULL REFERENCES session_tables(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX note_clusters_by_table ON note_clusters(table_id);

CREATE TABLE session_notes (
    id TEXT PRIMARY KEY,
    table_id TEXT NOT NULL REFERENCES session_tables(id) ON DELETE CASCADE,
    participant_id TEXT REFERENCES session_participants(id) ON DELETE SET NULL,
    author_name TEXT NOT NULL,
    perspective TEXT NOT NULL,
    -- 'idee' (We zouden eigenlijk <body> moeten doen, zodat <so_that>), 'verbazing', 'zorg', 'kans'
    kind TEXT NOT NULL,
    body TEXT NOT NULL,
    so_that TEXT NOT NULL,
    observation_id TEXT,
    story_id TEXT,
    cluster_id TEXT REFERENCES note_clusters(id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX session_notes_by_table ON session_notes(table_id, created_at);

CREATE TABLE cluster_votes (
    cluster_id TEXT NOT NULL REFERENCES note_clusters(id) ON DELETE CASCADE,
    participant_id TEXT NOT NULL REFERENCES session_participants(id) ON DELETE CASCADE,
    votes INTEGER NOT NULL,
    PRIMARY KEY (cluster_id, participant_id)
);

CREATE TABLE proposals (
    id TEXT PRIMARY KEY,
    project_slug TEXT NOT NULL REFERENCES projects(slug),
    session_id TEXT REFERENCES duiding_sessions(id) ON DELETE SET NULL,
    table_id TEXT REFERENCES session_tables(id) ON DELETE SET NULL,
    cluster_id TEXT REFERENCES note_clusters(id) ON DELETE SET NULL,
    title TEXT NOT NULL,
    action TEXT NOT NULL,
    so_that TEXT NOT NULL,
    first_step TEXT NOT NULL,
    owner_name TEXT NOT NULL,
    owner_email TEXT NOT NULL,
    level TEXT NOT NULL,
    status TEXT NOT NULL,
    -- Days without an update before the owner gets a reminder (0: never).
    remind_after_days INTEGER NOT NULL,
    reminded_at BIGINT,
    -- The owner's link is HMAC(secret, id + salt); renewing the salt revokes it.
    owner_salt TEXT NOT NULL,
    last_activity_at BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX proposals_by_project ON proposals(project_slug, status);

-- What a proposal grew from: 'kaart', 'verhaal' or 'notitie'.
CREATE TABLE proposal_sources (
    proposal_id TEXT NOT NULL REFERENCES proposals(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    ref_id TEXT NOT NULL,
    PRIMARY KEY (proposal_id, kind, ref_id)
);

CREATE TABLE proposal_updates (
    id TEXT PRIMARY KEY,
    proposal_id TEXT NOT NULL REFERENCES proposals(id) ON DELETE CASCADE,
    at BIGINT NOT NULL,
    author TEXT NOT NULL,
    status_before TEXT NOT NULL,
    status_after TEXT NOT NULL,
    body TEXT NOT NULL,
    -- Set when the update was the reopening in a later session.
    session_id TEXT REFERENCES duiding_sessions(id) ON DELETE SET NULL
);
CREATE INDEX proposal_updates_by_proposal ON proposal_updates(proposal_id, at);
