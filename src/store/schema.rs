//! Diesel's view of the tables in `migrations/` (the same for SQLite and PostgreSQL).

diesel::table! {
    app_settings (name) {
        name -> Text,
        value -> Text,
    }
}

diesel::table! {
    projects (slug) {
        slug -> Text,
        name -> Text,
        is_open -> Bool,
        settings -> Text,
        current_version -> Integer,
        created_at -> BigInt,
        sliders_unset_from -> Integer,
    }
}

diesel::table! {
    story_drafts (key_hash) {
        key_hash -> Text,
        resume_hash -> Text,
        project_slug -> Text,
        content -> Text,
        created_at -> BigInt,
        updated_at -> BigInt,
        expires_at -> BigInt,
    }
}

diesel::table! {
    questionnaires (project_slug, version) {
        project_slug -> Text,
        version -> Integer,
        definition -> Text,
        created_at -> BigInt,
    }
}

diesel::table! {
    stories (id) {
        id -> Text,
        project_slug -> Text,
        questionnaire_version -> Integer,
        participant_id -> Nullable<Text>,
        role -> Text,
        title -> Text,
        body -> Text,
        language -> Text,
        channel -> Text,
        created_at -> BigInt,
        is_complete -> Bool,
        consent_analysis -> Bool,
        consent_quotes -> Bool,
        withdrawal_code_hash -> Nullable<Text>,
        withdrawn_at -> Nullable<BigInt>,
        submission_key -> Nullable<Text>,
        reviewed_at -> Nullable<BigInt>,
        hidden_at -> Nullable<BigInt>,
        hidden_reason -> Nullable<Text>,
        redacted_at -> Nullable<BigInt>,
        original_title -> Nullable<Text>,
        original_body -> Nullable<Text>,
        safety_flag -> Nullable<Text>,
        safety_handled_at -> Nullable<BigInt>,
        text_deleted_at -> Nullable<BigInt>,
        word_count -> Nullable<Integer>,
    }
}

diesel::table! {
    answers (story_id, question_key) {
        story_id -> Text,
        question_key -> Text,
        number_value -> Nullable<Integer>,
        text_value -> Nullable<Text>,
        is_na -> Bool,
    }
}

diesel::table! {
    users (id) {
        id -> Text,
        email -> Text,
        display_name -> Text,
        password_hash -> Nullable<Text>,
        is_admin -> Bool,
        is_active -> Bool,
        created_at -> BigInt,
        last_login_at -> Nullable<BigInt>,
    }
}

diesel::table! {
    memberships (user_id, project_slug) {
        user_id -> Text,
        project_slug -> Text,
        role -> Text,
    }
}

diesel::table! {
    staff_sessions (token_hash) {
        token_hash -> Text,
        user_id -> Text,
        created_at -> BigInt,
        last_seen_at -> BigInt,
    }
}

diesel::table! {
    account_tokens (token_hash) {
        token_hash -> Text,
        purpose -> Text,
        user_id -> Nullable<Text>,
        created_at -> BigInt,
        expires_at -> BigInt,
        used_at -> Nullable<BigInt>,
    }
}

diesel::table! {
    login_throttle (key) {
        key -> Text,
        failures -> Integer,
        window_start -> BigInt,
        blocked_until -> Nullable<BigInt>,
    }
}

diesel::table! {
    mail_outbox (id) {
        id -> Text,
        recipient -> Text,
        subject -> Text,
        body_text -> Text,
        body_html -> Text,
        created_at -> BigInt,
        attempts -> Integer,
        next_attempt_at -> BigInt,
        claimed_by -> Nullable<Text>,
        claimed_until -> Nullable<BigInt>,
        sent_at -> Nullable<BigInt>,
        failed_at -> Nullable<BigInt>,
        last_error -> Nullable<Text>,
    }
}

diesel::table! {
    audit_log (id) {
        id -> BigInt,
        at -> BigInt,
        actor_id -> Nullable<Text>,
        actor_email -> Nullable<Text>,
        action -> Text,
        project_slug -> Nullable<Text>,
        target -> Nullable<Text>,
        detail -> Text,
    }
}

diesel::table! {
    observations (id) {
        id -> Text,
        project_slug -> Text,
        title -> Text,
        description -> Text,
        interpretation_a -> Text,
        interpretation_b -> Text,
        notes -> Text,
        theme -> Text,
        status -> Text,
        pattern -> Nullable<Text>,
        figures_at -> Nullable<BigInt>,
        created_by -> Nullable<Text>,
        created_at -> BigInt,
        updated_at -> BigInt,
        more_interpretations -> Text,
    }
}

diesel::table! {
    observation_stories (observation_id, story_id) {
        observation_id -> Text,
        story_id -> Text,
        position -> Integer,
    }
}

diesel::table! {
    observation_quotes (id) {
        id -> Text,
        observation_id -> Text,
        story_id -> Text,
        text -> Text,
        created_at -> BigInt,
    }
}

diesel::table! {
    sensemaking_sessions (id) {
        id -> Text,
        project_slug -> Text,
        title -> Text,
        starts_at -> BigInt,
        duration_minutes -> Integer,
        place -> Text,
        is_online -> Bool,
        purpose -> Text,
        code_hash -> Text,
        code_salt -> Text,
        closed_at -> Nullable<BigInt>,
        after_close -> Text,
        max_cards -> Integer,
        max_stories -> Integer,
        votes_per_person -> Integer,
        created_by -> Nullable<Text>,
        created_at -> BigInt,
        updated_at -> BigInt,
        phase -> Text,
        phase_started_at -> Nullable<BigInt>,
        phase_ends_at -> Nullable<BigInt>,
        votes_revealed_at -> Nullable<BigInt>,
    }
}

diesel::table! {
    sensemaking_tables (id) {
        id -> Text,
        session_id -> Text,
        name -> Text,
        colour -> Text,
        position -> Integer,
        revision -> BigInt,
    }
}

diesel::table! {
    table_materials (table_id, kind, ref_id) {
        table_id -> Text,
        kind -> Text,
        ref_id -> Text,
        position -> Integer,
        original_approved -> Bool,
    }
}

diesel::table! {
    sensemaking_participants (id) {
        id -> Text,
        session_id -> Text,
        table_id -> Text,
        display_name -> Text,
        perspective -> Text,
        joined_at -> BigInt,
    }
}

diesel::table! {
    note_clusters (id) {
        id -> Text,
        table_id -> Text,
        name -> Text,
        created_at -> BigInt,
    }
}

diesel::table! {
    sensemaking_notes (id) {
        id -> Text,
        table_id -> Text,
        participant_id -> Nullable<Text>,
        author_name -> Text,
        perspective -> Text,
        kind -> Text,
        body -> Text,
        so_that -> Text,
        observation_id -> Nullable<Text>,
        story_id -> Nullable<Text>,
        cluster_id -> Nullable<Text>,
        created_at -> BigInt,
    }
}

diesel::table! {
    cluster_votes (cluster_id, participant_id) {
        cluster_id -> Text,
        participant_id -> Text,
        votes -> Integer,
    }
}

diesel::table! {
    proposals (id) {
        id -> Text,
        project_slug -> Text,
        session_id -> Nullable<Text>,
        table_id -> Nullable<Text>,
        cluster_id -> Nullable<Text>,
        title -> Text,
        action -> Text,
        so_that -> Text,
        first_step -> Text,
        owner_name -> Text,
        owner_email -> Text,
        level -> Text,
        status -> Text,
        remind_after_days -> Integer,
        reminded_at -> Nullable<BigInt>,
        owner_salt -> Text,
        last_activity_at -> BigInt,
        created_at -> BigInt,
        updated_at -> BigInt,
    }
}

diesel::table! {
    proposal_sources (proposal_id, kind, ref_id) {
        proposal_id -> Text,
        kind -> Text,
        ref_id -> Text,
    }
}

diesel::table! {
    proposal_updates (id) {
        id -> Text,
        proposal_id -> Text,
        at -> BigInt,
        author -> Text,
        status_before -> Text,
        status_after -> Text,
        body -> Text,
        session_id -> Nullable<Text>,
    }
}

diesel::table! {
    api_tokens (id) {
        id -> Text,
        user_id -> Text,
        name -> Text,
        secret_hash -> Text,
        projects -> Text,
        created_at -> BigInt,
        last_used_at -> Nullable<BigInt>,
        revoked_at -> Nullable<BigInt>,
    }
}

diesel::joinable!(api_tokens -> users (user_id));
diesel::joinable!(stories -> projects (project_slug));
diesel::joinable!(sensemaking_tables -> sensemaking_sessions (session_id));
diesel::joinable!(sensemaking_notes -> sensemaking_tables (table_id));
diesel::joinable!(proposal_updates -> proposals (proposal_id));
diesel::joinable!(observation_stories -> observations (observation_id));
diesel::joinable!(observation_quotes -> observations (observation_id));
diesel::joinable!(observation_stories -> stories (story_id));
diesel::joinable!(observation_quotes -> stories (story_id));
diesel::joinable!(answers -> stories (story_id));
diesel::joinable!(memberships -> users (user_id));
diesel::joinable!(memberships -> projects (project_slug));
diesel::joinable!(staff_sessions -> users (user_id));
diesel::table! {
    data_changes (id) {
        id -> BigInt,
        project_slug -> Text,
        story_id -> Nullable<Text>,
        txid -> BigInt,
        created_at -> BigInt,
        workflow -> Bool,
    }
}

diesel::table! {
    data_changes_pruned (id) {
        id -> Integer,
        through_id -> BigInt,
        through_txid -> BigInt,
    }
}

diesel::table! {
    story_tables (id) {
        id -> Text,
        project_slug -> Text,
        name -> Text,
        place -> Text,
        code_hash -> Text,
        opened_at -> BigInt,
        expires_at -> BigInt,
        closed_at -> Nullable<BigInt>,
    }
}

diesel::table! {
    story_table_links (story_id) {
        story_id -> Text,
        table_id -> Text,
        consent_read_at -> BigInt,
    }
}

diesel::table! {
    place_links (project_slug, code) {
        project_slug -> Text,
        code -> Text,
        name -> Text,
        created_at -> BigInt,
    }
}

diesel::table! {
    response_counts (project_slug, day, role, place, language, stage) {
        project_slug -> Text,
        day -> Text,
        role -> Text,
        place -> Text,
        language -> Text,
        stage -> Text,
        count -> BigInt,
    }
}

diesel::table! {
    response_durations (project_slug, day, bucket) {
        project_slug -> Text,
        day -> Text,
        bucket -> BigInt,
        count -> BigInt,
    }
}

diesel::table! {
    response_targets (project_slug, kind, value) {
        project_slug -> Text,
        kind -> Text,
        value -> Text,
        target -> BigInt,
    }
}

diesel::joinable!(story_table_links -> story_tables (table_id));
diesel::joinable!(story_table_links -> stories (story_id));

diesel::allow_tables_to_appear_in_same_query!(
    story_tables,
    story_table_links,
    app_settings,
    projects,
    questionnaires,
    stories,
    answers,
    users,
    memberships,
    staff_sessions,
    account_tokens,
    login_throttle,
    mail_outbox,
    audit_log,
    observations,
    observation_stories,
    observation_quotes,
    sensemaking_sessions,
    sensemaking_tables,
    table_materials,
    sensemaking_participants,
    note_clusters,
    sensemaking_notes,
    cluster_votes,
    proposals,
    proposal_sources,
    proposal_updates,
    api_tokens,
    story_drafts,
    data_changes,
    data_changes_pruned,
);

// The public results page (issue 23, item 3): `store::public_results`.
diesel::table! {
    public_results (project_slug) {
        project_slug -> Text,
        switched_on_at -> BigInt,
    }
}

diesel::table! {
    published_observations (observation_id) {
        observation_id -> Text,
        project_slug -> Text,
        published_at -> BigInt,
    }
}

// The campaign kit's changed texts (issue 23, item 1): `store::campaign`.
diesel::table! {
    campaign_texts (project_slug, language, role, field) {
        project_slug -> Text,
        language -> Text,
        role -> Text,
        field -> Text,
        text -> Text,
        updated_at -> BigInt,
    }
}
