//! How a verbetervoorstel is shown, to staff and to its handschoenoppakker alike: its status
//! and dates in Dutch, its timeline of updates, and the progress form as typed.

use crate::domain::project_form::FieldProblem;
use crate::domain::sensemaking::ProposalStatus;
use crate::service::proposals::{ProposalDetail, UpdateRecord};
use crate::web::forms::PostedForm;
use crate::web::views::story::nl_datetime;
use serde::Serialize;
use std::collections::BTreeMap;

fn status_label(key: &str) -> String {
    ProposalStatus::parse(key).map_or_else(|| key.to_string(), |s| s.label().to_string())
}

/// A calendar day as typed by the begeleider (session times are local wall-clock time stored
/// as if UTC): `01-12-2026`.
pub fn wall_date(unix: i64) -> String {
    let t =
        time::OffsetDateTime::from_unix_timestamp(unix).unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    format!("{:02}-{:02}-{:04}", t.day(), u8::from(t.month()), t.year())
}

/// A proposal as the pages show it.
#[derive(Debug, Serialize)]
pub struct ProposalView {
    pub id: String,
    pub title: String,
    pub action: String,
    pub so_that: String,
    pub first_step: String,
    pub owner_name: String,
    pub owner_email: String,
    pub level: &'static str,
    pub status: &'static str,
    pub status_label: &'static str,
    pub is_open: bool,
    pub remind_after_days: i32,
    pub session_id: Option<String>,
    pub session_title: Option<String>,
    pub session_date: Option<String>,
    pub table_name: Option<String>,
    pub last_activity: String,
}

impl ProposalView {
    pub fn new(d: &ProposalDetail) -> Self {
        let r = &d.record;
        Self {
            id: r.id.clone(),
            title: r.title.clone(),
            action: r.action.clone(),
            so_that: r.so_that.clone(),
            first_step: r.first_step.clone(),
            owner_name: r.owner_name.clone(),
            owner_email: r.owner_email.clone(),
            level: d.level.label(),
            status: d.status.key(),
            status_label: d.status.label(),
            is_open: d.status.is_open(),
            remind_after_days: r.remind_after_days,
            session_id: d.session.as_ref().map(|s| s.id.clone()),
            session_title: d.session.as_ref().map(|s| s.title.clone()),
            session_date: d.session.as_ref().map(|s| wall_date(s.starts_at)),
            table_name: d.table_name.clone(),
            last_activity: nl_datetime(r.last_activity_at),
        }
    }
}

/// One dated entry of a proposal's timeline.
#[derive(Debug, Serialize)]
pub struct UpdateView {
    pub date: String,
    pub author: String,
    /// "Nieuw" for the first entry, "van Nieuw naar Opgepakt" for a change, else nothing.
    pub change: Option<String>,
    pub body: String,
}

/// The timeline, oldest first.
pub fn timeline(updates: &[UpdateRecord]) -> Vec<UpdateView> {
    updates
        .iter()
        .map(|u| UpdateView {
            date: nl_datetime(u.at),
            author: u.author.clone(),
            change: if u.status_before.is_empty() {
                Some(format!("stand: {}", status_label(&u.status_after)))
            } else if u.status_before != u.status_after {
                Some(format!(
                    "van {} naar {}",
                    status_label(&u.status_before),
                    status_label(&u.status_after)
                ))
            } else {
                None
            },
            body: u.body.clone(),
        })
        .collect()
}

/// The message of each field with a problem, for the messages next to the fields.
pub fn field_errors(problems: &[FieldProblem]) -> BTreeMap<&'static str, String> {
    let mut out = BTreeMap::new();
    for p in problems {
        out.entry(p.field).or_insert_with(|| p.message.clone());
    }
    out
}

/// The status and text typed in a progress update.
#[derive(Debug, Clone, Default, Serialize)]
pub struct UpdateForm {
    pub status: String,
    pub text: String,
}

impl UpdateForm {
    pub fn from_form(form: &PostedForm) -> Self {
        Self {
            status: form.text("status"),
            text: form.text("voortgang"),
        }
    }

    /// The chosen status, or the problem to show.
    pub fn status(&self) -> Result<ProposalStatus, FieldProblem> {
        ProposalStatus::parse(&self.status).ok_or_else(|| FieldProblem {
            field: "status",
            message: "Kies hoe het ervoor staat.".into(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_timeline_names_status_changes() {
        let u = |before: &str, after: &str| UpdateRecord {
            id: "VU-1".into(),
            proposal_id: "VV-1".into(),
            at: 0,
            author: "Sam".into(),
            status_before: before.into(),
            status_after: after.into(),
            body: String::new(),
            session_id: None,
        };
        let t = timeline(&[
            u("", "nieuw"),
            u("nieuw", "opgepakt"),
            u("opgepakt", "opgepakt"),
        ]);
        assert_eq!(t[0].change.as_deref(), Some("stand: Nieuw"));
        assert_eq!(t[1].change.as_deref(), Some("van Nieuw naar Opgepakt"));
        assert_eq!(t[2].change, None);
        assert_eq!(wall_date(1_796_083_200), "01-12-2026");
        assert_eq!(crate::web::http::safe_segment("VV-1/../x"), "VV-1x");
    }
}
