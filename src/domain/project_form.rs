//! What a begeleider types on the project settings page, checked field by field.
//!
//! Every problem names its field and says in plain Dutch what to do, so the page can show all
//! messages at once next to the values as typed.

use super::project::{CompletenessRule, HelpLine, ProjectSettings};
use super::questionnaire::{valid_slug, Role};

/// The settings form as typed (all text).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SettingsInput {
    pub name: String,
    pub intro: String,
    pub privacy_statement: String,
    pub closed_message: String,
    /// One help line per line: `naam | contact | wanneer` (the last part may be left out).
    pub help_lines: String,
    pub min_words: String,
    pub first_questions: String,
    pub max_story_chars: String,
    pub max_title_chars: String,
    pub keep_redacted_originals: bool,
    /// The project's own signal words for the safety triage, one per line.
    pub triage_terms: String,
    /// Days after which story texts are deleted; empty for never.
    pub retention_days: String,
}

/// A problem with one field of a staff form.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FieldProblem {
    pub field: &'static str,
    pub message: String,
}

fn problem(field: &'static str, message: impl Into<String>) -> FieldProblem {
    FieldProblem {
        field,
        message: message.into(),
    }
}

const MAX_TEXT_CHARS: usize = 4000;

impl SettingsInput {
    /// The form filled in from stored settings.
    pub fn from_settings(name: &str, s: &ProjectSettings) -> Self {
        Self {
            name: name.to_string(),
            intro: s.intro.clone().unwrap_or_default(),
            privacy_statement: s.privacy_statement.clone().unwrap_or_default(),
            closed_message: s.closed_message.clone().unwrap_or_default(),
            help_lines: s
                .help_lines
                .iter()
                .map(|h| match &h.when {
                    Some(when) => format!("{} | {} | {}", h.name, h.contact, when),
                    None => format!("{} | {}", h.name, h.contact),
                })
                .collect::<Vec<_>>()
                .join("\n"),
            min_words: s.completeness.min_words.to_string(),
            first_questions: s.completeness.first_questions.to_string(),
            max_story_chars: s.max_story_chars.to_string(),
            max_title_chars: s.max_title_chars.to_string(),
            keep_redacted_originals: s.keep_redacted_originals,
            triage_terms: s.triage_terms.join("\n"),
            retention_days: s.retention_days.map(|d| d.to_string()).unwrap_or_default(),
        }
    }

    /// The project name and settings, or every problem found.
    pub fn parse(&self) -> Result<(String, ProjectSettings), Vec<FieldProblem>> {
        let mut problems = Vec::new();
        let name = self.name.trim().to_string();
        if name.is_empty() || name.chars().count() > 100 {
            problems.push(problem(
                "name",
                "Geef het project een naam van hoogstens 100 tekens.",
            ));
        }
        let mut number = |field: &'static str, raw: &str, min: u32, max: u32| -> u32 {
            match raw.trim().parse::<u32>() {
                Ok(n) if (min..=max).contains(&n) => n,
                _ => {
                    problems.push(problem(
                        field,
                        format!("Vul een heel getal in van {min} tot en met {max}."),
                    ));
                    min
                }
            }
        };
        let min_words = number("min_words", &self.min_words, 0, 1000);
        let first_questions = number("first_questions", &self.first_questions, 0, 50);
        let max_story_chars = number("max_story_chars", &self.max_story_chars, 200, 100_000);
        let max_title_chars = number("max_title_chars", &self.max_title_chars, 20, 500);
        let mut text = |field: &'static str, raw: &str| -> Option<String> {
            let t = raw.trim();
            if t.chars().count() > MAX_TEXT_CHARS {
                problems.push(problem(
                    field,
                    format!("Deze tekst is te lang. Gebruik hoogstens {MAX_TEXT_CHARS} tekens."),
                ));
            }
            (!t.is_empty()).then(|| t.replace("\r\n", "\n"))
        };
        let intro = text("intro", &self.intro);
        let privacy_statement = text("privacy_statement", &self.privacy_statement);
        let closed_message = text("closed_message", &self.closed_message);
        let help_lines = match parse_help_lines(&self.help_lines) {
            Ok(lines) => lines,
            Err(p) => {
                problems.push(p);
                Vec::new()
            }
        };
        let triage_terms = match super::triage::parse_terms(&self.triage_terms) {
            Ok(terms) => terms,
            Err(message) => {
                problems.push(problem("triage_terms", message));
                Vec::new()
            }
        };
        let retention_days = match parse_retention_days(&self.retention_days) {
            Ok(days) => days,
            Err(p) => {
                problems.push(p);
                None
            }
        };
        if !problems.is_empty() {
            return Err(problems);
        }
        Ok((
            name,
            ProjectSettings {
                completeness: CompletenessRule {
                    min_words,
                    first_questions,
                },
                max_story_chars,
                max_title_chars,
                intro,
                privacy_statement,
                closed_message,
                help_lines,
                keep_redacted_originals: self.keep_redacted_originals,
                triage_terms,
                retention_days,
                // Kept from the stored settings by the service: not on this form.
                privacy: Default::default(),
                languages: Vec::new(),
            },
        ))
    }
}

/// Shortest and longest retention period in days.
pub const RETENTION_DAYS: (u32, u32) = (30, 3650);

fn parse_retention_days(raw: &str) -> Result<Option<u32>, FieldProblem> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    let (min, max) = RETENTION_DAYS;
    match raw.parse::<u32>() {
        Ok(n) if (min..=max).contains(&n) => Ok(Some(n)),
        _ => Err(problem(
            "retention_days",
            format!("Vul een aantal dagen in van {min} tot en met {max}. Of laat het vak leeg: dan worden teksten niet vanzelf gewist."),
        )),
    }
}

fn parse_help_lines(raw: &str) -> Result<Vec<HelpLine>, FieldProblem> {
    let mut lines = Vec::new();
    for (i, line) in raw.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let parts: Vec<&str> = line.split('|').map(str::trim).collect();
        match parts.as_slice() {
            [name, contact] | [name, contact, ""] if !name.is_empty() && !contact.is_empty() => {
                lines.push(HelpLine {
                    name: name.to_string(),
                    contact: contact.to_string(),
                    when: None,
                })
            }
            [name, contact, when] if !name.is_empty() && !contact.is_empty() => {
                lines.push(HelpLine {
                    name: name.to_string(),
                    contact: contact.to_string(),
                    when: Some(when.to_string()),
                })
            }
            _ => {
                return Err(problem(
                    "help_lines",
                    format!(
                        "Regel {} klopt niet. Schrijf elke hulplijn zo: naam | nummer of adres | wanneer.",
                        i + 1
                    ),
                ))
            }
        }
    }
    if lines.len() > 20 {
        return Err(problem("help_lines", "Geef hoogstens 20 hulplijnen."));
    }
    Ok(lines)
}

/// A new project's web address and name, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct NewProjectInput {
    pub slug: String,
    pub name: String,
}

impl NewProjectInput {
    pub fn parse(&self) -> Result<(String, String), Vec<FieldProblem>> {
        let mut problems = Vec::new();
        let slug = self.slug.trim().to_lowercase();
        if !valid_slug(&slug) {
            problems.push(problem(
                "slug",
                "Gebruik voor het webadres alleen kleine letters, cijfers en streepjes (hoogstens 64), bijvoorbeeld: regio-noord.",
            ));
        }
        let name = self.name.trim().to_string();
        if name.is_empty() || name.chars().count() > 100 {
            problems.push(problem(
                "name",
                "Geef het project een naam van hoogstens 100 tekens.",
            ));
        }
        if problems.is_empty() {
            Ok((slug, name))
        } else {
            Err(problems)
        }
    }
}

/// One storyteller role as typed on the settings page.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct RoleInput {
    pub key: String,
    pub label: String,
    pub prompt: String,
    pub title_hint: String,
}

impl RoleInput {
    pub fn from_role(role: &Role) -> Self {
        Self {
            key: role.key.clone(),
            label: role.label.clone(),
            prompt: role.prompt.clone().unwrap_or_default(),
            title_hint: role.title_hint.clone().unwrap_or_default(),
        }
    }
}

/// The roles as typed. A role with an empty key is new; its key is made from the label. A
/// role that keeps its key keeps its answers and its translations (which the questionnaire
/// holds by text id).
pub fn apply_roles(typed: &[RoleInput]) -> Result<Vec<Role>, Vec<FieldProblem>> {
    let mut problems = Vec::new();
    let mut roles = Vec::new();
    for input in typed {
        let label = input.label.trim();
        if label.is_empty() || label.chars().count() > 200 {
            problems.push(problem(
                "roles",
                "Elke rol heeft een omschrijving nodig van hoogstens 200 tekens.",
            ));
            continue;
        }
        let key = if input.key.trim().is_empty() {
            key_from_label(label, roles.iter().map(|r: &Role| r.key.as_str()))
        } else {
            input.key.trim().to_string()
        };
        let optional = |s: &str| (!s.trim().is_empty()).then(|| s.trim().to_string());
        roles.push(Role {
            key,
            label: label.to_string(),
            prompt: optional(&input.prompt),
            title_hint: optional(&input.title_hint),
        });
    }
    if roles.is_empty() && problems.is_empty() {
        problems.push(problem(
            "roles",
            "Een vertelpunt heeft minstens één rol nodig.",
        ));
    }
    if problems.is_empty() {
        Ok(roles)
    } else {
        Err(problems)
    }
}

/// A key (a-z, 0-9, _) made from a label, unique among `taken`.
pub fn key_from_label<'a>(label: &str, taken: impl Iterator<Item = &'a str> + Clone) -> String {
    let mut key = String::new();
    for c in label.to_lowercase().chars() {
        let c = match c {
            'á' | 'à' | 'ä' | 'â' => 'a',
            'é' | 'è' | 'ë' | 'ê' => 'e',
            'í' | 'ì' | 'ï' | 'î' => 'i',
            'ó' | 'ò' | 'ö' | 'ô' => 'o',
            'ú' | 'ù' | 'ü' | 'û' => 'u',
            c => c,
        };
        if c.is_ascii_alphanumeric() {
            key.push(c);
        } else if !key.ends_with('_') && !key.is_empty() {
            key.push('_');
        }
        if key.len() >= 40 {
            break;
        }
    }
    let base = key.trim_end_matches('_').to_string();
    let base = if base.is_empty() {
        "rol".to_string()
    } else {
        base
    };
    let mut candidate = base.clone();
    let mut n = 2;
    while taken.clone().any(|t| t == candidate) {
        candidate = format!("{base}_{n}");
        n += 1;
    }
    candidate
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filled() -> SettingsInput {
        SettingsInput::from_settings("Vertelpunt Noord", &ProjectSettings::shipped_defaults())
    }

    #[test]
    fn stored_settings_survive_the_form() {
        // The privacy settings are not on this form (the service keeps the stored ones).
        let settings = ProjectSettings {
            privacy: Default::default(),
            languages: Vec::new(),
            ..ProjectSettings::shipped_defaults()
        };
        let (name, parsed) = filled().parse().unwrap();
        assert_eq!(name, "Vertelpunt Noord");
        assert_eq!(parsed, settings);
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let mut input = filled();
        input.name = " ".into();
        input.min_words = "veel".into();
        input.max_story_chars = "10".into();
        input.help_lines = "Kindertelefoon 0800-0432".into();
        let problems = input.parse().unwrap_err();
        let fields: Vec<_> = problems.iter().map(|p| p.field).collect();
        assert_eq!(
            fields,
            vec!["name", "min_words", "max_story_chars", "help_lines"]
        );
        assert!(problems[3].message.contains("Regel 1"));
    }

    #[test]
    fn triage_terms_and_retention_are_read() {
        let mut input = filled();
        input.triage_terms = " de kelder \n\nstraf*".into();
        input.retention_days = " 365 ".into();
        let (_, s) = input.parse().unwrap();
        assert_eq!(s.triage_terms, vec!["de kelder", "straf*"]);
        assert_eq!(s.retention_days, Some(365));
        input.retention_days = String::new();
        assert_eq!(input.parse().unwrap().1.retention_days, None);
        input.retention_days = "7".into();
        input.triage_terms = "x".into();
        let fields: Vec<_> = input.parse().unwrap_err().iter().map(|p| p.field).collect();
        assert_eq!(fields, vec!["triage_terms", "retention_days"]);
    }

    #[test]
    fn help_lines_take_two_or_three_parts() {
        let lines = parse_help_lines("A | 1\n\nB | 2 | 's nachts\n").unwrap();
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0].when, None);
        assert_eq!(lines[1].when.as_deref(), Some("'s nachts"));
        assert!(parse_help_lines(" | 1").is_err());
        assert!(parse_help_lines("a|b|c|d").is_err());
    }

    #[test]
    fn new_projects_need_a_clean_address() {
        let ok = NewProjectInput {
            slug: " Regio-Noord ".into(),
            name: "Noord".into(),
        };
        assert_eq!(ok.parse().unwrap(), ("regio-noord".into(), "Noord".into()));
        let bad = NewProjectInput {
            slug: "regio noord!".into(),
            name: String::new(),
        };
        assert_eq!(bad.parse().unwrap_err().len(), 2);
    }

    #[test]
    fn roles_keep_keys_and_get_new_keys() {
        let existing = Role {
            key: "ouder".into(),
            label: "Ik ben ouder".into(),
            prompt: None,
            title_hint: None,
        };
        let typed = vec![
            RoleInput {
                key: "ouder".into(),
                label: "Ik ben ouder of verzorger".into(),
                prompt: "Vertel!".into(),
                title_hint: String::new(),
            },
            RoleInput {
                key: String::new(),
                label: "Ik ben pleegouder".into(),
                ..Default::default()
            },
        ];
        let roles = apply_roles(&typed).unwrap();
        assert_eq!(roles[0].label, "Ik ben ouder of verzorger");
        assert_ne!(roles[0].label, existing.label);
        assert_eq!(roles[0].key, "ouder");
        assert_eq!(roles[0].prompt.as_deref(), Some("Vertel!"));
        assert_eq!(roles[1].key, "ik_ben_pleegouder");
        assert!(apply_roles(&[]).is_err());
    }

    #[test]
    fn keys_from_labels_are_unique() {
        assert_eq!(key_from_label("Één rol!", [].into_iter()), "een_rol");
        assert_eq!(key_from_label("Rol", ["rol"].into_iter()), "rol_2");
        assert_eq!(key_from_label("!!!", [].into_iter()), "rol");
    }
}
