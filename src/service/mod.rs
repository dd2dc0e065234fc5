//! Use cases that the web handlers and the command line share: each takes domain values,
//! applies the domain rules and talks to the store. No HTTP in here.

pub mod accounts;
pub mod audit;
pub mod moderation;
pub mod projects;
pub mod storytelling;
pub mod transfer;
