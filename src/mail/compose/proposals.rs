//! The mail to someone just named as handschoenoppakker of a verbetervoorstel, with their
//! personal link, rendered from `templates/mail/owner_named.txt|html`. Queued by
//! `service::proposals::mail_owner` for a new proposal with an address, and when the address
//! changes to another one.

use super::reminders::owner_link;
use crate::render::session::SessionInfo;
use crate::render::Renderer;
use crate::service::proposals::OwnerNamed;
use crate::store::outbox::OutgoingMail;

fn subject(title: &str) -> String {
    format!("Jij pakt de handschoen op: '{}'", super::one_line(title))
}

/// Renders the mail for one newly named owner. A template error (a bug, caught by the tests)
/// still yields a plain mail with the link.
pub fn compose_owner_named(
    renderer: &Renderer,
    base_url: &str,
    named: &OwnerNamed,
) -> OutgoingMail {
    let p = &named.proposal;
    let link = owner_link(base_url, &p.id, &named.token);
    let mut ctx = renderer.context("nl");
    ctx.insert("name", &p.owner_name);
    ctx.insert("named_by", &named.named_by);
    ctx.insert("session", &named.session.as_ref().map(SessionInfo::new));
    ctx.insert("table", &named.table_name);
    ctx.insert("title", &p.title);
    ctx.insert("action", &p.action);
    ctx.insert("so_that", &p.so_that);
    ctx.insert("first_step", &p.first_step);
    ctx.insert("days", &p.remind_after_days);
    ctx.insert("link", &link);
    ctx.insert("base_url", base_url.trim_end_matches('/'));
    let (text, html) = super::texts(renderer, "owner_named", &ctx, || {
        format!(
            "Hallo {},\n\nJe bent handschoenoppakker van het verbetervoorstel '{}'. Vertel hoe het gaat via deze link: {link}\n",
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

/// A composer for `service::sensemaking::propose`, `edit_proposal` and
/// `service::proposals::save`, owning what it needs.
pub fn owner_named(
    renderer: &Renderer,
    base_url: &str,
) -> impl Fn(&OwnerNamed) -> OutgoingMail + Send + Sync + 'static {
    let (renderer, base_url) = (renderer.clone(), base_url.to_string());
    move |named| compose_owner_named(&renderer, &base_url, named)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_subject_stays_on_one_line() {
        assert_eq!(
            subject(" Een\nvaste\r\ncoach "),
            "Jij pakt de handschoen op: 'Een vaste  coach'"
        );
    }
}
