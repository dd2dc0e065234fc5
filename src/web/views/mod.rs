//! What templates and PDFs get: plain serialisable views (Dutch dates and labels, the
//! storyteller's language, field messages), the story filters read from and written to URLs,
//! and server-drawn SVG charts. No handlers, no services with side effects: handlers build a
//! view from what a service returned and hand it to a template.

pub mod card;
pub mod charts;
pub mod comparison;
pub mod filters;
pub mod pattern;
pub mod pattern_list;
pub mod proposal;
pub mod public_results;
pub mod questionnaire_form;
pub mod story;
pub mod story_form;
pub mod table;
