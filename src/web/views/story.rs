//! What the story pages for staff get: plain serialisable views with Dutch dates and labels,
//! so the templates only lay things out. Story text stays text: the templates escape it.

use crate::domain::questionnaire::{Question, QuestionType};
use crate::domain::{Answer, Questionnaire};
use crate::service::moderation::{Story, StoryLine};
use crate::web::views::story_form::{option_label, question_label};
use serde::Serialize;

/// A moment as Dutch readers expect it: Dutch time (CET/CEST), `22-11-2026 10:29`.
pub fn nl_datetime(unix: i64) -> String {
    let local = crate::exchange::timestamp::dutch_time(unix);
    format!(
        "{:02}-{:02}-{:04} {:02}:{:02}",
        local.day(),
        u8::from(local.month()),
        local.year(),
        local.hour(),
        local.minute()
    )
}

/// A day as Dutch readers expect it: `22-11-2026` (Dutch time).
pub fn nl_date(unix: i64) -> String {
    nl_datetime(unix).chars().take(10).collect()
}

fn role_label(questionnaire: Option<&Questionnaire>, role: &str) -> String {
    questionnaire
        .and_then(|q| q.role(role))
        .map_or_else(|| role.to_string(), |r| r.label.clone())
}

/// One line of the list.
#[derive(Serialize)]
pub struct LineView {
    pub id: String,
    pub title: String,
    pub role: String,
    pub date: String,
    pub is_complete: bool,
    pub consent_quotes: bool,
    pub reviewed: bool,
    pub hidden: bool,
    pub redacted: bool,
    pub withdrawn: bool,
    /// The categories of a safety signal (Dutch labels); empty without one.
    pub safety: Vec<&'static str>,
    pub safety_handled: bool,
    pub text_deleted: bool,
}

/// The Dutch labels of a stored safety flag.
pub fn safety_labels(flag: Option<&str>) -> Vec<&'static str> {
    flag.map(crate::domain::triage::flag_categories)
        .unwrap_or_default()
        .into_iter()
        .map(|c| c.label())
        .collect()
}

impl LineView {
    pub fn new(line: StoryLine, questionnaire: &Questionnaire) -> Self {
        Self {
            role: role_label(Some(questionnaire), &line.role),
            date: nl_datetime(line.created_at),
            is_complete: line.is_complete,
            consent_quotes: line.consent_quotes,
            reviewed: line.reviewed_at.is_some(),
            hidden: line.hidden_at.is_some(),
            redacted: line.redacted_at.is_some(),
            withdrawn: line.withdrawn_at.is_some(),
            safety: safety_labels(line.safety_flag.as_deref()),
            safety_handled: line.safety_handled_at.is_some(),
            text_deleted: line.text_deleted_at.is_some(),
            id: line.id,
            title: line.title,
        }
    }
}

/// One answer in readable form.
#[derive(Serialize)]
pub struct AnswerView {
    pub label: String,
    /// `slider`, `na` (weet ik niet / past niet), `none` (not answered) or `text`.
    pub kind: &'static str,
    pub value: String,
    pub left: Option<String>,
    pub right: Option<String>,
}

impl AnswerView {
    fn new(q: &Question, role: &str, answer: Option<&Answer>) -> Self {
        let (kind, value) = match answer {
            None => ("none", String::new()),
            Some(Answer::NotApplicable) => ("na", String::new()),
            Some(Answer::Slider(v)) => ("slider", v.get().to_string()),
            Some(Answer::Choice(k)) => ("text", option_label(q, k)),
            Some(Answer::Multichoice(keys)) => (
                "text",
                keys.iter()
                    .map(|k| option_label(q, k))
                    .collect::<Vec<_>>()
                    .join(", "),
            ),
            Some(Answer::Text(t)) => ("text", t.clone()),
        };
        Self {
            label: question_label(q, role),
            kind,
            value,
            left: (q.kind == QuestionType::Slider)
                .then(|| q.left.clone())
                .flatten(),
            right: (q.kind == QuestionType::Slider)
                .then(|| q.right.clone())
                .flatten(),
        }
    }
}

/// A whole story for staff. `original_*` and `hidden_reason` are already left out by the
/// service for people who may not moderate.
#[derive(Serialize)]
pub struct StoryView {
    pub id: String,
    pub title: String,
    pub body: String,
    pub role: String,
    pub date: String,
    pub channel: String,
    pub language: String,
    pub version: i32,
    pub is_complete: bool,
    pub consent_analysis: bool,
    pub consent_quotes: bool,
    pub withdrawn: Option<String>,
    pub reviewed: Option<String>,
    pub hidden: Option<String>,
    pub hidden_reason: Option<String>,
    pub redacted: Option<String>,
    pub original_title: Option<String>,
    pub original_body: Option<String>,
    /// The categories of a safety signal (Dutch labels); empty without one.
    pub safety: Vec<&'static str>,
    pub safety_handled: Option<String>,
    /// When the texts were deleted after the retention period.
    pub text_deleted: Option<String>,
    /// Answers to the duidingsvragen, in questionnaire order.
    pub answers: Vec<AnswerView>,
    /// Answers about the teller (context questions).
    pub context: Vec<AnswerView>,
    /// Stored answers whose question the questionnaire version does not know.
    pub other: Vec<AnswerView>,
}

impl StoryView {
    pub fn new(story: Story, questionnaire: Option<&Questionnaire>) -> Self {
        let record = story.record;
        let role = record.role.clone();
        let (mut answers, mut context) = (Vec::new(), Vec::new());
        let mut known = std::collections::HashSet::new();
        for q in questionnaire
            .into_iter()
            .flat_map(|q| q.questions_for(&role))
        {
            known.insert(q.key.as_str());
            let view = AnswerView::new(q, &role, story.answers.get(&q.key));
            if q.context {
                context.push(view);
            } else {
                answers.push(view);
            }
        }
        let other = story
            .answers
            .iter()
            .filter(|(key, _)| !known.contains(key.as_str()))
            .map(|(key, answer)| AnswerView {
                label: key.clone(),
                kind: "text",
                value: match answer {
                    Answer::Slider(v) => v.get().to_string(),
                    Answer::NotApplicable => "weet ik niet / past niet".into(),
                    Answer::Choice(k) | Answer::Text(k) => k.clone(),
                    Answer::Multichoice(keys) => keys.join(", "),
                },
                left: None,
                right: None,
            })
            .collect();
        let m = record.moderation;
        Self {
            role: role_label(questionnaire, &role),
            date: nl_datetime(record.created_at),
            withdrawn: record.withdrawn_at.map(nl_datetime),
            reviewed: m.reviewed_at.map(nl_datetime),
            hidden: m.hidden_at.map(nl_datetime),
            hidden_reason: m.hidden_reason,
            redacted: m.redacted_at.map(nl_datetime),
            original_title: m.original_title,
            original_body: m.original_body,
            safety: safety_labels(m.safety_flag.as_deref()),
            safety_handled: m.safety_handled_at.map(nl_datetime),
            text_deleted: m.text_deleted_at.map(nl_datetime),
            id: record.id,
            title: record.title,
            body: record.body,
            channel: record.channel,
            language: record.language,
            version: record.questionnaire_version,
            is_complete: record.is_complete,
            consent_analysis: record.consent_analysis,
            consent_quotes: record.consent_quotes,
            answers,
            context,
            other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_shown_in_dutch_time() {
        // Winter: UTC+1.
        assert_eq!(nl_datetime(1_794_999_960), "18-11-2026 12:06");
        // Summer: UTC+2 (1 July 2026 12:00 UTC).
        assert_eq!(nl_datetime(1_782_907_200), "01-07-2026 14:00");
        // The switch: 29 March 2026 00:59 UTC is still winter, 01:00 UTC is summer.
        assert_eq!(nl_datetime(1_774_745_940), "29-03-2026 01:59");
        assert_eq!(nl_datetime(1_774_746_000), "29-03-2026 03:00");
        // 25 October 2026 00:59 UTC is summer, 01:00 UTC winter again.
        assert_eq!(nl_datetime(1_792_889_940), "25-10-2026 02:59");
        assert_eq!(nl_datetime(1_792_890_000), "25-10-2026 02:00");
    }
}
