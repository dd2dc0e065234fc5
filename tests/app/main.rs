//! Integration tests over HTTP against the real application and a real database.
//! Set `TEST_DATABASE_URL=postgres://…` to run them all on PostgreSQL (SQLite otherwise).

mod access;
mod accounts;
mod answers;
mod api;
mod backup;
mod bad_input;
mod board_cache;
mod cards;
mod change_log;
mod cli;
mod compare;
mod csv_safety;
mod dashboard;
mod data;
mod explore;
mod export;
mod helpers;
mod login_security;
mod moderation;
mod observations;
mod patterns;
mod projects_admin;
mod proposals;
mod protection;
mod questionnaire_editor;
mod redaction;
mod redirects;
mod search;
mod sensemaking;
mod sensemaking_load;
mod session_material;
mod small_selections;
mod snapshots;
mod storyteller;
mod users;
