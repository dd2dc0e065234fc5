-- Everything the analysis reads of a shareable story, in story order, so that a project's
-- facts come from this index alone (an index-only scan) instead of one random read of a story
-- row, texts and all, per story. The condition matches store::stories::shareable_facts.
CREATE INDEX stories_facts ON stories (
    project_slug, created_at, id, questionnaire_version, role, language, channel,
    is_complete, consent_quotes, word_count,
    -- Implied by the condition, but SQLite reads a column it tests from the index only when
    -- the index holds it.
    withdrawn_at, hidden_at, consent_analysis
) WHERE withdrawn_at IS NULL AND hidden_at IS NULL AND consent_analysis;
