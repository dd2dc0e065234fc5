//! The mails that carry one-time links, rendered from `templates/mail/*.txt|html`.

use crate::render::Renderer;
use crate::service::accounts::{LinkContext, INVITE_TOKEN_SECONDS, RESET_TOKEN_SECONDS};
use crate::store::accounts::UserRecord;
use crate::store::outbox::OutgoingMail;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MailKind {
    Invite,
    Reset,
}

impl MailKind {
    fn template(self) -> &'static str {
        match self {
            MailKind::Invite => "invite",
            MailKind::Reset => "reset",
        }
    }

    fn subject(self) -> &'static str {
        match self {
            MailKind::Invite => "Je bent uitgenodigd voor Vertelpunt",
            MailKind::Reset => "Een nieuw wachtwoord voor Vertelpunt",
        }
    }

    fn hours_valid(self) -> i64 {
        match self {
            MailKind::Invite => INVITE_TOKEN_SECONDS / 3600,
            MailKind::Reset => RESET_TOKEN_SECONDS / 3600,
        }
    }
}

/// Renders one mail. A template error (a bug, caught by the tests) still yields a usable
/// plain mail with the link, so that nobody is locked out by a typo in a template.
pub fn compose(
    renderer: &Renderer,
    base_url: &str,
    kind: MailKind,
    user: &UserRecord,
    token: &str,
    context: &LinkContext,
) -> OutgoingMail {
    let link = format!("{base_url}/beheer/wachtwoord/{token}");
    let mut ctx = renderer.context("nl");
    ctx.insert("name", &user.display_name);
    ctx.insert("email", &user.email);
    ctx.insert("link", &link);
    ctx.insert("hours", &kind.hours_valid());
    ctx.insert("base_url", base_url);
    ctx.insert("invite", context);
    let (text, html) = super::texts(renderer, kind.template(), &ctx, || {
        format!(
            "Hallo {},\n\nGebruik deze link: {link}\n",
            user.display_name
        )
    });
    OutgoingMail {
        to: user.email.clone(),
        subject: kind.subject().to_string(),
        text,
        html,
    }
}

/// A composer for the account service, owning what it needs.
pub fn composer(
    renderer: &Renderer,
    base_url: &str,
    kind: MailKind,
) -> impl Fn(&UserRecord, &str, &LinkContext) -> OutgoingMail + Send + 'static {
    let (renderer, base_url) = (renderer.clone(), base_url.to_string());
    move |user, token, context| compose(&renderer, &base_url, kind, user, token, context)
}
