//! A project's privacy settings for what leaves the system (exports, the research API and the
//! figures onderzoekers see): the group size `k`, which questions describe the teller, which
//! answers may be shown together, and the project's own terms for the anonymiser.

use super::anonymise::{ExtraTerms, Kind};
use super::project_form::FieldProblem;
use super::questionnaire::{QuestionType, Questionnaire};
use super::smallcell::{ValueGroup, DEFAULT_K, MIN_K};
use serde::{Deserialize, Serialize};

/// The role a teller chose; always identifying.
pub const ROLE_COLUMN: &str = "rol";

/// A term the anonymiser replaces in this project's stories.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProjectTerm {
    pub term: String,
    /// The kind's code (`naam`, `organisatie`, …), see [`Kind::code`].
    pub kind: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PrivacySettings {
    /// No combination of identifying answers shared by fewer stories leaves the system.
    pub k: u32,
    /// Questions that describe the teller, besides the role and the context questions with
    /// one answer (which always count).
    pub identifying_questions: Vec<String>,
    pub value_groups: Vec<ValueGroup>,
    pub terms: Vec<ProjectTerm>,
}

impl Default for PrivacySettings {
    fn default() -> Self {
        Self {
            k: DEFAULT_K,
            identifying_questions: Vec::new(),
            value_groups: Vec::new(),
            terms: Vec::new(),
        }
    }
}

impl PrivacySettings {
    /// The group size in force (never below [`MIN_K`]).
    pub fn k(&self) -> u32 {
        self.k.max(MIN_K)
    }

    /// The identifying columns for this questionnaire: the role, every context question with
    /// one answer, then the questions marked identifying that exist and are choices.
    pub fn identifying_columns(&self, q: &Questionnaire) -> Vec<String> {
        let mut columns = vec![ROLE_COLUMN.to_string()];
        for question in &q.questions {
            let marked = self.identifying_questions.contains(&question.key);
            let chosen = match question.kind {
                QuestionType::Choice => question.context || marked,
                QuestionType::Multichoice => marked,
                _ => false,
            };
            if chosen && !columns.contains(&question.key) {
                columns.push(question.key.clone());
            }
        }
        columns
    }

    /// The project's terms, compiled for the anonymiser.
    pub fn extra_terms(&self) -> ExtraTerms {
        ExtraTerms::new(
            self.terms
                .iter()
                .map(|t| (t.term.as_str(), Kind::parse(&t.kind).unwrap_or(Kind::Naam))),
        )
    }
}

/// The privacy form as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PrivacyInput {
    pub k: String,
    pub identifying_questions: Vec<String>,
    /// One group per line: `vraag: optie, optie = naam van de groep`.
    pub value_groups: String,
    /// One term per line: `soort: term`, or just `term` for a name.
    pub terms: String,
}

const MAX_TERMS: usize = 2000;

impl PrivacyInput {
    pub fn from_settings(s: &PrivacySettings) -> Self {
        Self {
            k: s.k.to_string(),
            identifying_questions: s.identifying_questions.clone(),
            value_groups: s
                .value_groups
                .iter()
                .map(|g| format!("{}: {} = {}", g.question, g.options.join(", "), g.label))
                .collect::<Vec<_>>()
                .join("\n"),
            terms: s
                .terms
                .iter()
                .map(|t| format!("{}: {}", t.kind, t.term))
                .collect::<Vec<_>>()
                .join("\n"),
        }
    }

    /// The settings, or every problem found (field names: `k`, `groepen`, `termen`).
    pub fn parse(&self, q: &Questionnaire) -> Result<PrivacySettings, Vec<FieldProblem>> {
        let mut problems = Vec::new();
        let k = match self.k.trim().parse::<u32>() {
            Ok(k) if (MIN_K..=100).contains(&k) => k,
            _ => {
                problems.push(FieldProblem {
                    field: "k",
                    message: format!("Vul een heel getal in van {MIN_K} tot en met 100."),
                });
                DEFAULT_K
            }
        };
        let identifying_questions: Vec<String> = self
            .identifying_questions
            .iter()
            .filter(|key| q.questions.iter().any(|question| &question.key == *key))
            .cloned()
            .collect();
        let value_groups = parse_groups(&self.value_groups, q).unwrap_or_else(|p| {
            problems.push(p);
            Vec::new()
        });
        let terms = parse_terms(&self.terms).unwrap_or_else(|p| {
            problems.push(p);
            Vec::new()
        });
        if problems.is_empty() {
            Ok(PrivacySettings {
                k,
                identifying_questions,
                value_groups,
                terms,
            })
        } else {
            Err(problems)
        }
    }
}

fn parse_groups(raw: &str, q: &Questionnaire) -> Result<Vec<ValueGroup>, FieldProblem> {
    let problem = |n: usize, what: String| FieldProblem {
        field: "groepen",
        message: format!("Regel {n}: {what}"),
    };
    let mut groups = Vec::new();
    for (i, line) in raw
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        let n = i + 1;
        let shape = || {
            problem(
                n,
                "schrijf de groep als 'vraag: optie, optie = naam van de groep'.".into(),
            )
        };
        let (key, rest) = line.split_once(':').ok_or_else(shape)?;
        let (options, label) = rest.rsplit_once('=').ok_or_else(shape)?;
        let key = key.trim();
        let label = label.trim();
        let question = q
            .questions
            .iter()
            .find(|question| question.key == key)
            .ok_or_else(|| problem(n, format!("de vragenlijst heeft geen vraag '{key}'.")))?;
        let options: Vec<String> = options
            .split(',')
            .map(|o| o.trim().to_string())
            .filter(|o| !o.is_empty())
            .collect();
        if options.len() < 2 || label.is_empty() {
            return Err(problem(
                n,
                "een groep heeft minstens twee opties en een naam.".into(),
            ));
        }
        if let Some(unknown) = options
            .iter()
            .find(|o| !question.options.iter().any(|known| &known.key == *o))
        {
            return Err(problem(
                n,
                format!("de vraag '{key}' heeft geen optie '{unknown}'."),
            ));
        }
        groups.push(ValueGroup {
            question: key.to_string(),
            options,
            label: label.to_string(),
        });
    }
    Ok(groups)
}

/// One term typed with its kind (the form under a story's export preview).
pub fn parse_term(term: &str, kind: &str) -> Result<ProjectTerm, String> {
    let kind = Kind::parse(kind).ok_or_else(|| "Kies een soort uit de lijst.".to_string())?;
    let term = term.split_whitespace().collect::<Vec<_>>().join(" ");
    if term.chars().count() < 2 || term.chars().count() > 200 {
        return Err("Een term heeft 2 tot 200 tekens.".into());
    }
    Ok(ProjectTerm {
        term,
        kind: kind.code().to_string(),
    })
}

fn parse_terms(raw: &str) -> Result<Vec<ProjectTerm>, FieldProblem> {
    let mut terms: Vec<ProjectTerm> = Vec::new();
    for (i, line) in raw
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        let (kind, term) = match line.split_once(':') {
            Some((kind, term)) => match Kind::parse(kind) {
                Some(kind) => (kind, term.trim()),
                None => {
                    return Err(FieldProblem {
                        field: "termen",
                        message: format!(
                            "Regel {}: '{}' is geen soort. Kies uit: {}.",
                            i + 1,
                            kind.trim(),
                            Kind::ALL.map(|k| k.code()).join(", ")
                        ),
                    })
                }
            },
            None => (Kind::Naam, line.trim()),
        };
        if term.chars().count() < 2 {
            return Err(FieldProblem {
                field: "termen",
                message: format!("Regel {}: een term heeft minstens twee tekens.", i + 1),
            });
        }
        if !terms.iter().any(|t| t.term == term) {
            terms.push(ProjectTerm {
                term: term.to_string(),
                kind: kind.code().to_string(),
            });
        }
    }
    if terms.len() > MAX_TERMS {
        return Err(FieldProblem {
            field: "termen",
            message: format!("Gebruik hoogstens {MAX_TERMS} termen."),
        });
    }
    Ok(terms)
}

/// `Some(k)` when a selection of `selected` out of `all` stories would single out fewer than
/// k tellers: the selection itself, or what it leaves out — by difference with the whole
/// project, which anyone who may see the selection may also ask for. Every page, export and
/// API answer of a selection checks this first.
pub fn small_selection(selected: usize, all: usize, k: u32) -> Option<u32> {
    let small = |n: usize| (1..k as usize).contains(&n);
    (small(selected) || small(all.saturating_sub(selected))).then_some(k)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_selection_or_what_it_leaves_out_below_k_is_too_small() {
        assert_eq!(small_selection(0, 100, 5), None);
        assert_eq!(small_selection(1, 100, 5), Some(5));
        assert_eq!(small_selection(4, 100, 5), Some(5));
        assert_eq!(small_selection(5, 100, 5), None);
        assert_eq!(small_selection(96, 100, 5), Some(5));
        assert_eq!(small_selection(95, 100, 5), None);
        assert_eq!(small_selection(100, 100, 5), None);
    }
    use crate::domain::questionnaire::default_questionnaire;

    fn input() -> PrivacyInput {
        PrivacyInput {
            k: "5".into(),
            identifying_questions: vec!["hulp_gehad".into(), "bestaat_niet".into()],
            value_groups: "gemeente: heumen, mook_en_middelaar = zuid\n\n".into(),
            terms: "organisatie: Jeugdhuis De Haven\nJansen\n".into(),
        }
    }

    #[test]
    fn a_filled_form_survives_a_round_trip() {
        let q = default_questionnaire().expect("shipped questionnaire");
        let settings = input().parse(&q).expect("valid");
        assert_eq!(settings.identifying_questions, vec!["hulp_gehad"]);
        assert_eq!(settings.value_groups[0].label, "zuid");
        assert_eq!(settings.terms[1].kind, "naam");
        let again = PrivacyInput::from_settings(&settings)
            .parse(&q)
            .expect("valid");
        assert_eq!(again, settings);
    }

    #[test]
    fn identifying_columns_are_role_context_choices_and_marked_questions() {
        let q = default_questionnaire().expect("shipped questionnaire");
        let settings = input().parse(&q).expect("valid");
        let columns = settings.identifying_columns(&q);
        assert_eq!(columns[0], "rol");
        for key in ["gemeente", "leeftijd", "werk", "hulp_gehad"] {
            assert!(columns.iter().any(|c| c == key), "{key} in {columns:?}");
        }
        assert!(!columns.iter().any(|c| c == "gehoord"));
    }

    #[test]
    fn every_problem_names_its_field() {
        let q = default_questionnaire().expect("shipped questionnaire");
        let bad = PrivacyInput {
            k: "1".into(),
            identifying_questions: vec![],
            value_groups: "gemeente: heumen, atlantis = x".into(),
            terms: "planeet: Mars".into(),
        };
        let problems = bad.parse(&q).expect_err("invalid");
        let fields: Vec<&str> = problems.iter().map(|p| p.field).collect();
        assert_eq!(fields, vec!["k", "groepen", "termen"]);
        assert!(problems[1].message.contains("atlantis"));
    }

    #[test]
    fn project_terms_reach_the_anonymiser() {
        let q = default_questionnaire().expect("shipped questionnaire");
        let settings = input().parse(&q).expect("valid");
        let text = crate::domain::anonymise::anonymise(
            "Bij Jeugdhuis De Haven kreeg ik eindelijk hulp.",
            &settings.extra_terms(),
        );
        assert_eq!(text, "Bij [organisatie] kreeg ik eindelijk hulp.");
    }
}
