-- The campaign kit (issue 23, item 1): the texts of posters, flyers and invitations a
-- begeleider changed, per project, language and role. A text not here is the default from the
-- interface's language files; a row is written only when it differs from that default.
-- field: poster_title, poster_text, action, mail_subject, mail_body, newsletter, chat, social.
CREATE TABLE campaign_texts (
    project_slug TEXT NOT NULL REFERENCES projects (slug) ON DELETE CASCADE,
    language TEXT NOT NULL,
    role TEXT NOT NULL,
    field TEXT NOT NULL,
    text TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (project_slug, language, role, field)
);
