//! Use cases that the web handlers and the command line share: each takes domain values,
//! applies the domain rules and talks to the store. No HTTP in here.

pub mod accounts;
pub mod analysis;
pub mod api_snapshot;
pub mod api_tokens;
pub mod audit;
pub mod campaign;
pub mod cockpit;
pub mod comparison_cards;
pub mod demo;
pub mod drafts;
pub mod error;
pub mod export;
pub mod moderation;
pub mod observations;
pub mod project_admin;
pub mod projects;
pub mod public_results;
pub mod questionnaire_editor;
pub mod response;
pub mod retention;
pub mod sensemaking;
pub mod staff_search;
pub mod story_tables;
pub mod storytelling;
pub mod transfer;
pub mod translations;

/// The database handle every use case takes; what is behind it is the store's business.
pub use crate::store::Database;
pub mod proposals;
pub mod proposals_export;
