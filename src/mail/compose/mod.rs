//! Composing each mail from its template (`templates/mail/*.txt|html`) into an outbox row.
//! Services take a composer (a closure) so that they queue mail in their own transaction
//! without knowing templates; the web layer and the command line both build composers here.

pub mod accounts;
pub mod proposals;
pub mod reminders;
pub mod sensemaking;
