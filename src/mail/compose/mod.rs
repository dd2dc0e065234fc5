//! Composing each mail from its template (`templates/mail/*.txt|html`) into an outbox row.
//! Services take a composer (a closure) so that they queue mail in their own transaction
//! without knowing templates; the web layer and the command line both build composers here.

pub mod accounts;
pub mod proposals;
pub mod reminders;
pub mod sensemaking;

use crate::render::Renderer;

/// The plain text and the HTML of a mail from `mail/{template}.txt|html`. A template error is
/// a bug (the snapshot tests render every mail); it is logged and the mail still goes out as
/// the plain `fallback` text without HTML, so that its link reaches the person.
pub(crate) fn texts(
    renderer: &Renderer,
    template: &str,
    ctx: &tera::Context,
    fallback: impl FnOnce() -> String,
) -> (String, String) {
    let render = |ext: &str| renderer.render(&format!("mail/{template}.{ext}"), ctx);
    match (render("txt"), render("html")) {
        (Ok(text), Ok(html)) => (text, html),
        (text, html) => {
            tracing::error!(template, text = ?text.err(), html = ?html.err(), "mail template failed");
            (fallback(), String::new())
        }
    }
}

/// A title for a subject line: no line breaks or other control characters (a mail header).
pub(crate) fn one_line(title: &str) -> String {
    let title: String = title
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    title.trim().to_string()
}
