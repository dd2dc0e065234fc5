//! The invitation to a duidingssessie with its join link, rendered from
//! `templates/mail/sensemaking_invite.txt|html`.

use crate::render::session::SessionInfo;
use crate::render::Renderer;
use crate::security::Secret;
use crate::service::accounts::OutgoingMail;
use crate::service::sensemaking::{self, SessionRecord};

/// A composer for [`crate::service::sensemaking::invite`], owning what it needs.
pub fn invitation(
    renderer: &Renderer,
    secret: &Secret,
    base_url: &str,
    project_name: &str,
    inviter: &str,
) -> impl Fn(&SessionRecord, &str) -> OutgoingMail + Send + 'static {
    let renderer = renderer.clone();
    let secret = secret.clone();
    let base_url = base_url.trim_end_matches('/').to_string();
    let project_name = project_name.to_string();
    let inviter = inviter.to_string();
    move |session, to| {
        let info = SessionInfo::new(session);
        let link = format!("{base_url}/s/{}", sensemaking::code_of(&secret, session));
        let mut ctx = renderer.context("nl");
        ctx.insert("session", &info);
        ctx.insert("project", &project_name);
        ctx.insert("inviter", &inviter);
        ctx.insert("link", &link);
        ctx.insert("base_url", &base_url);
        let (text, html) = super::texts(&renderer, "sensemaking_invite", &ctx, || {
            format!(
                "Je bent uitgenodigd voor de duidingssessie {} ({}).\n\nDoe mee via: {link}\n",
                info.title, info.when
            )
        });
        OutgoingMail {
            to: to.to_string(),
            subject: format!("Uitnodiging: {}", info.title),
            text,
            html,
        }
    }
}
