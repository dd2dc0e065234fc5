//! Integration tests over HTTP against the real application and a real database.
//! Set `TEST_DATABASE_URL=postgres://…` to run them all on PostgreSQL (SQLite otherwise).

mod access;
mod accounts;
mod answers;
mod api;
mod bad_input;
mod cli;
mod compare;
mod data;
mod explore;
mod export;
mod helpers;
mod moderation;
mod observations;
mod patterns;
mod projects_admin;
mod proposals;
mod protection;
mod questionnaire_editor;
mod sensemaking;
mod sensemaking_load;
mod snapshots;
mod storyteller;
mod users;
