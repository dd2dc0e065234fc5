//! The signed-in part of Vertelpunt under `/beheer`: logging in, projects, questionnaires,
//! users, story moderation and the audit log. The interface is Dutch only: its users are
//! Dutch professionals (the storyteller's path has more languages).
//!
//! Every handler takes a [`CurrentUser`] (which sends strangers to the login page) and asks
//! [`CurrentUser::require`] or [`CurrentUser::require_admin`] before it reads or changes
//! anything; posted forms go through [`posted_form`], which checks the CSRF token.

pub mod account;
pub mod audit;
pub mod auth;
pub mod campaign;
pub mod cockpit;
pub mod compare;
pub mod compare_projects;
pub mod dashboard;
pub mod explore;
pub mod export;
pub mod home;
pub mod login;
pub mod observation_pdf;
pub mod observations;
pub mod patterns;
pub mod privacy;
pub mod projects;
pub mod proposals;
pub mod public_results;
pub mod questionnaire;
pub mod response;
pub mod sensemaking;
pub mod sensemaking_pdf;
pub mod stories;
pub mod story_tables;
pub mod users;

pub use auth::CurrentUser;
