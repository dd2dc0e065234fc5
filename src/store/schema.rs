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

diesel::joinable!(stories -> projects (project_slug));
diesel::joinable!(answers -> stories (story_id));
diesel::allow_tables_to_appear_in_same_query!(
    app_settings,
    projects,
    questionnaires,
    stories,
    answers
);
