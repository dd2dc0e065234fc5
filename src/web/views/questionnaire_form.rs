//! The question form of the editor: reading what was posted into a [`QuestionDraft`], and the
//! values the template shows (as stored, or as typed when the form comes back with an error).

use crate::domain::questionnaire::{Question, QuestionType, Questionnaire};
use crate::domain::questionnaire_edit::{OptionLine, QuestionDraft};
use crate::web::forms::PostedForm;
use serde::Serialize;

/// The question types as they appear in URLs and forms.
pub fn parse_kind(s: &str) -> Option<QuestionType> {
    match s {
        "slider" => Some(QuestionType::Slider),
        "choice" => Some(QuestionType::Choice),
        "multichoice" => Some(QuestionType::Multichoice),
        "text" => Some(QuestionType::Text),
        _ => None,
    }
}

pub fn kind_code(kind: QuestionType) -> &'static str {
    match kind {
        QuestionType::Slider => "slider",
        QuestionType::Choice => "choice",
        QuestionType::Multichoice => "multichoice",
        QuestionType::Text => "text",
    }
}

pub fn kind_name(kind: QuestionType) -> &'static str {
    match kind {
        QuestionType::Slider => "Schuifvraag",
        QuestionType::Choice => "Keuzevraag, één antwoord",
        QuestionType::Multichoice => "Keuzevraag, meer antwoorden",
        QuestionType::Text => "Open vraag",
    }
}

/// A question type as offered on the "add a question" choice.
#[derive(Serialize)]
pub struct KindChoice {
    pub code: &'static str,
    pub name: &'static str,
    pub hint: &'static str,
}

/// Every type with its code, name and a short explanation.
pub fn kinds() -> Vec<KindChoice> {
    [
        (
            QuestionType::Slider,
            "een schuif tussen twee uitersten, van 0 tot 100",
        ),
        (QuestionType::Choice, "de verteller kiest één antwoord"),
        (
            QuestionType::Multichoice,
            "de verteller kiest één of meer antwoorden",
        ),
        (QuestionType::Text, "een kort tekstveld"),
    ]
    .into_iter()
    .map(|(k, hint)| KindChoice {
        code: kind_code(k),
        name: kind_name(k),
        hint,
    })
    .collect()
}

/// One role in the form: does the question apply to it, and its own wording.
#[derive(Serialize)]
pub struct RoleField {
    pub key: String,
    pub label: String,
    pub checked: bool,
    pub text: String,
}

/// The values of the question form.
#[derive(Serialize)]
pub struct QuestionForm {
    pub label: String,
    pub help: String,
    pub left: String,
    pub right: String,
    pub allow_na: bool,
    pub required: bool,
    pub context: bool,
    /// One option per line, `key|label`.
    pub options: String,
    pub roles: Vec<RoleField>,
}

/// Options as the textarea shows them: `key|label`, one a line.
fn options_text(lines: &[OptionLine]) -> String {
    lines
        .iter()
        .map(|l| match &l.key {
            Some(k) => format!("{k}|{}", l.label),
            None => l.label.clone(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Reads the textarea: blank lines are skipped; `key|label` keeps a key, a bare label gets one.
pub fn parse_options(text: &str) -> Vec<OptionLine> {
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| match l.split_once('|') {
            Some((key, label)) => OptionLine {
                key: Some(key.trim().to_string()),
                label: label.trim().to_string(),
            },
            None => OptionLine {
                key: None,
                label: l.trim().to_string(),
            },
        })
        .collect()
}

fn role_text_field(role: &str) -> String {
    format!("rol_tekst_{role}")
}

impl QuestionForm {
    /// An empty form for a new question: for everyone, nothing filled in.
    pub fn empty(q: &Questionnaire) -> Self {
        Self::from_draft(q, &QuestionDraft::default())
    }

    pub fn of(q: &Questionnaire, question: &Question) -> Self {
        Self::from_draft(q, &QuestionDraft::of(question))
    }

    fn from_draft(q: &Questionnaire, d: &QuestionDraft) -> Self {
        QuestionForm {
            label: d.label.clone(),
            help: d.help.clone(),
            left: d.left.clone(),
            right: d.right.clone(),
            allow_na: d.allow_na,
            required: d.required,
            context: d.context,
            options: options_text(&d.options),
            roles: q
                .roles
                .iter()
                .map(|r| RoleField {
                    key: r.key.clone(),
                    label: r.label.clone(),
                    checked: d.roles.as_ref().is_none_or(|keys| keys.contains(&r.key)),
                    text: d.role_labels.get(&r.key).cloned().unwrap_or_default(),
                })
                .collect(),
        }
    }

    /// Exactly what was typed, to show again with an error.
    pub fn typed(q: &Questionnaire, form: &PostedForm) -> Self {
        let chosen = form.all("rol");
        QuestionForm {
            label: form.text("label"),
            help: form.text("uitleg"),
            left: form.text("links"),
            right: form.text("rechts"),
            allow_na: form.checked("weet_niet"),
            required: form.checked("verplicht"),
            context: form.checked("over_verteller"),
            options: form.text("opties"),
            roles: q
                .roles
                .iter()
                .map(|r| RoleField {
                    key: r.key.clone(),
                    label: r.label.clone(),
                    checked: chosen.contains(&r.key.as_str()),
                    text: form.text(&role_text_field(&r.key)),
                })
                .collect(),
        }
    }
}

/// The draft a posted question form describes. Roles are always a choice here: none ticked
/// is an error, all ticked means everyone (the domain decides both).
pub fn draft(q: &Questionnaire, form: &PostedForm) -> QuestionDraft {
    QuestionDraft {
        label: form.text("label"),
        help: form.text("uitleg"),
        left: form.text("links"),
        right: form.text("rechts"),
        allow_na: form.checked("weet_niet"),
        required: form.checked("verplicht"),
        context: form.checked("over_verteller"),
        roles: Some(form.all("rol").into_iter().map(String::from).collect()),
        role_labels: q
            .roles
            .iter()
            .map(|r| (r.key.clone(), form.text(&role_text_field(&r.key))))
            .collect(),
        options: parse_options(&form.text("opties")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::questionnaire::tests::sample;

    #[test]
    fn options_text_round_trips_and_keeps_keys() {
        let lines = parse_options("ja|Ja\n\n  Nee, niet  \r\nweet_niet | Weet ik niet\n");
        assert_eq!(
            lines,
            vec![
                OptionLine {
                    key: Some("ja".into()),
                    label: "Ja".into()
                },
                OptionLine {
                    key: None,
                    label: "Nee, niet".into()
                },
                OptionLine {
                    key: Some("weet_niet".into()),
                    label: "Weet ik niet".into()
                },
            ]
        );
        assert_eq!(
            options_text(&lines),
            "ja|Ja\nNee, niet\nweet_niet|Weet ik niet"
        );
    }

    #[test]
    fn a_posted_form_becomes_a_draft_and_comes_back_as_typed() {
        let q = sample();
        let form = PostedForm::parse(
            b"label=Hoi&uitleg=&links=A&rechts=B&weet_niet=1&rol=ouder&rol_tekst_ouder=Hallo&opties=x%7CX",
        )
        .unwrap();
        let d = draft(&q, &form);
        assert_eq!(d.roles, Some(vec!["ouder".to_string()]));
        assert!(d.allow_na && !d.required);
        assert_eq!(d.role_labels["ouder"], "Hallo");
        assert_eq!(d.role_labels["jongere"], "");
        let typed = QuestionForm::typed(&q, &form);
        assert_eq!(typed.options, "x|X");
        assert!(!typed.roles[0].checked && typed.roles[1].checked);
        // A new question is for everyone until you untick a role.
        assert!(QuestionForm::empty(&q).roles.iter().all(|r| r.checked));
        assert_eq!(parse_kind("multichoice"), Some(QuestionType::Multichoice));
        assert_eq!(parse_kind("range"), None);
    }
}
