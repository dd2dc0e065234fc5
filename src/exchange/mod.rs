//! Documented exchange formats (docs/formats.md): pure conversions between files and domain
//! values. Reading and writing the database is the caller's business.

pub mod bundle;
pub mod csv_v1;
pub mod proposals;
pub mod research;
pub mod sav;
mod spreadsheet;
pub mod timestamp;
