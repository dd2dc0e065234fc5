-- Personal API tokens for the read-only research API. The token itself is shown once; only
-- the SHA-256 of its secret part is kept. `projects` holds the ';'-joined project slugs the
-- token may read (always checked against the owner's roles at the moment of use).
CREATE TABLE api_tokens (
    id TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL REFERENCES users(id),
    name TEXT NOT NULL,
    secret_hash TEXT NOT NULL,
    projects TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    last_used_at BIGINT,
    revoked_at BIGINT
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);
