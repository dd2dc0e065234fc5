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
        data_revision -> BigInt,
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
    sessions (token_hash) {
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

diesel::joinable!(stories -> projects (project_slug));
diesel::joinable!(observation_stories -> observations (observation_id));
diesel::joinable!(observation_quotes -> observations (observation_id));
diesel::joinable!(observation_stories -> stories (story_id));
diesel::joinable!(observation_quotes -> stories (story_id));
diesel::joinable!(answers -> stories (story_id));
diesel::joinable!(memberships -> users (user_id));
diesel::joinable!(memberships -> projects (project_slug));
diesel::joinable!(sessions -> users (user_id));
diesel::allow_tables_to_appear_in_same_query!(
    app_settings,
    projects,
    questionnaires,
    stories,
    answers,
    users,
    memberships,
    sessions,
    account_tokens,
    login_throttle,
    mail_outbox,
    audit_log,
    observations,
    observation_stories,
    observation_quotes,
);
