//! The reminder to a handschoenoppakker whose verbetervoorstel had no update for a while,
//! rendered from `templates/mail/reminder.txt|html`, and the owner's personal link in it.

use crate::domain::sensemaking::ProposalStatus;
use crate::render::Renderer;
use crate::store::outbox::OutgoingMail;
use crate::store::proposals::ProposalRecord;

/// The owner's personal page: `/voorstel/{id}/{token}` on this installation.
pub fn owner_link(base_url: &str, proposal: &str, token: &str) -> String {
    format!(
        "{}/voorstel/{proposal}/{token}",
        base_url.trim_end_matches('/')
    )
}

/// A subject line from a title.
fn subject(title: &str) -> String {
    format!("Hoe gaat het met '{}'?", super::one_line(title))
}

/// Renders the reminder for one proposal. A template error (a bug, caught by the tests)
/// still yields a plain mail with the link.
pub fn compose_reminder(
    renderer: &Renderer,
    base_url: &str,
    p: &ProposalRecord,
    token: &str,
) -> OutgoingMail {
    let link = owner_link(base_url, &p.id, token);
    let status = ProposalStatus::parse(&p.status).unwrap_or(ProposalStatus::Nieuw);
    let mut ctx = renderer.context("nl");
    ctx.insert("name", &p.owner_name);
    ctx.insert("title", &p.title);
    ctx.insert("first_step", &p.first_step);
    ctx.insert("status", status.label());
    ctx.insert("days", &p.remind_after_days);
    ctx.insert("link", &link);
    ctx.insert("base_url", base_url.trim_end_matches('/'));
    let (text, html) = super::texts(renderer, "reminder", &ctx, || {
        format!(
            "Hallo {},\n\nHoe gaat het met '{}'? Vertel het via deze link: {link}\n",
            p.owner_name, p.title
        )
    });
    OutgoingMail {
        to: p.owner_email.clone(),
        subject: subject(&p.title),
        text,
        html,
    }
}

/// A composer for [`crate::service::proposals::send_reminders`], owning what it needs.
pub fn reminder_composer(
    renderer: Renderer,
    base_url: String,
) -> impl Fn(&ProposalRecord, &str) -> OutgoingMail + Send + 'static {
    move |p, token| compose_reminder(&renderer, &base_url, p, token)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subjects_stay_on_one_line() {
        assert_eq!(
            subject("Een\nvaste\r\ncoach "),
            "Hoe gaat het met 'Een vaste  coach'?"
        );
        assert_eq!(
            owner_link("https://vp.nl/", "VV-1", "ABC"),
            "https://vp.nl/voorstel/VV-1/ABC"
        );
    }
}
