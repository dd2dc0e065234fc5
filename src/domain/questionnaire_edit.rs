//! Editing a questionnaire step by step, for the editor under `/beheer`.
//!
//! Every operation takes the current questionnaire and returns a new one that passed
//! [`Questionnaire::parse`], or an [`EditError`] with a plain-Dutch message. Keys are made from
//! the label once, when a question or option is created, and never change afterwards: stored
//! answers and the CSV columns refer to them.
//!
//! Questions copied from a module (see [`super::modules`]) cannot be edited or removed one by
//! one; they can be moved, and the whole module can be removed.

use super::modules::{self, Module};
use super::questionnaire::{
    AnswerOption, Question, QuestionType, Questionnaire, QuestionnaireError,
};
use std::collections::{BTreeMap, BTreeSet};

/// Up or down in a list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Move {
    Up,
    Down,
}

/// One answer option as typed: an existing key keeps its answers; without a key a new one is
/// made from the label.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OptionLine {
    pub key: Option<String>,
    pub label: String,
}

/// Everything about a question that can be edited. Texts are trimmed; empty means "none".
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct QuestionDraft {
    pub label: String,
    pub help: String,
    /// Pole labels of a slider; ignored for other types.
    pub left: String,
    pub right: String,
    /// Sliders only: offer "weet ik niet / past niet".
    pub allow_na: bool,
    pub required: bool,
    pub context: bool,
    /// `None`: every role. `Some(keys)`: only these roles (at least one).
    pub roles: Option<Vec<String>>,
    /// Other wording of the label per role; empty texts are dropped.
    pub role_labels: BTreeMap<String, String>,
    /// Choice and multichoice only, in order.
    pub options: Vec<OptionLine>,
}

impl QuestionDraft {
    /// The editable fields of an existing question (to fill the edit form).
    pub fn of(question: &Question) -> Self {
        QuestionDraft {
            label: question.label.clone(),
            help: question.help.clone().unwrap_or_default(),
            left: question.left.clone().unwrap_or_default(),
            right: question.right.clone().unwrap_or_default(),
            allow_na: question.allow_na,
            required: question.required,
            context: question.context,
            roles: (!question.roles.is_empty()).then(|| question.roles.clone()),
            role_labels: question.role_labels.clone(),
            options: question
                .options
                .iter()
                .map(|o| OptionLine {
                    key: Some(o.key.clone()),
                    label: o.label.clone(),
                })
                .collect(),
        }
    }
}

/// Why an edit was refused. The `Display` text is shown to the person editing.
#[derive(Debug, PartialEq, thiserror::Error)]
pub enum EditError {
    #[error(
        "De vraag “{0}” bestaat niet (meer). Misschien heeft iemand anders hem net weggehaald."
    )]
    NoSuchQuestion(String),
    #[error("Het antwoord “{1}” bij de vraag “{0}” bestaat niet (meer).")]
    NoSuchOption(String, String),
    #[error("De vraag “{0}” is een kernvraag. Die kun je niet los veranderen of weghalen. Je kunt wel alle kernvragen samen weghalen.")]
    ModuleQuestion(String),
    #[error("Vertelpunt kent de module “{0}” niet.")]
    UnknownModule(String),
    #[error("De {0} staan al in deze vragenlijst.")]
    ModuleAlreadyIncluded(String),
    #[error("De {0} staan niet in deze vragenlijst.")]
    ModuleNotIncluded(String),
    #[error("Deze vragenlijst heeft al een eigen vraag met de sleutel “{key}”. De {module} gebruiken die sleutel ook. Haal die eigen vraag eerst weg.")]
    ModuleKeyTaken { module: String, key: String },
    #[error("De {module} zijn ook voor de rol “{role}”. Die rol heeft deze vragenlijst niet.")]
    ModuleNeedsRole { module: String, role: String },
    #[error("Kies voor wie de vraag is: minstens één rol.")]
    NoRoleChosen,
    #[error("Vul bij elk antwoord een tekst in (regel {0}).")]
    EmptyOptionLabel(usize),
    #[error("{}", explain(.0))]
    Invalid(QuestionnaireError),
}

impl From<QuestionnaireError> for EditError {
    fn from(e: QuestionnaireError) -> Self {
        EditError::Invalid(e)
    }
}

impl EditError {
    /// The form field the message is about, so that the error summary can link to it.
    pub fn field(&self) -> Option<&'static str> {
        match self {
            EditError::NoRoleChosen => Some("rol"),
            EditError::EmptyOptionLabel(_) => Some("opties"),
            EditError::Invalid(e) => match e {
                QuestionnaireError::EmptyLabel(_) => Some("label"),
                QuestionnaireError::MissingPoles(_) => Some("links"),
                QuestionnaireError::TooFewOptions(_)
                | QuestionnaireError::BadKey(_)
                | QuestionnaireError::DuplicateKey(_) => Some("opties"),
                QuestionnaireError::UnknownRole(..) => Some("rol"),
                _ => None,
            },
            _ => None,
        }
    }
}

impl EditError {
    /// The message on the question form, where "this question" needs no key.
    pub fn in_form(&self) -> String {
        match self {
            EditError::Invalid(QuestionnaireError::EmptyLabel(_)) => "Vul de vraag in.".into(),
            EditError::Invalid(QuestionnaireError::MissingPoles(_)) => {
                "Een schuifvraag heeft twee uitersten nodig. Vul links en rechts een tekst in."
                    .into()
            }
            EditError::Invalid(QuestionnaireError::TooFewOptions(_)) => {
                "Geef minstens twee antwoorden. Zet elk antwoord op een eigen regel.".into()
            }
            other => other.to_string(),
        }
    }
}

/// A plain-Dutch explanation of why a questionnaire is not valid (the error's own text is
/// English, for logs and the command line).
pub fn explain(e: &QuestionnaireError) -> String {
    use QuestionnaireError as E;
    match e {
        E::Json(detail) => format!("Dit is geen goede vragenlijst in JSON ({detail})."),
        E::BadSlug(s) => format!(
            "De korte naam “{s}” kan niet. Gebruik alleen kleine letters, cijfers en streepjes."
        ),
        E::EmptyTitle => "De vragenlijst heeft geen titel. Vul een titel in.".into(),
        E::NoRoles => "De vragenlijst heeft geen rollen. Er moet minstens één rol zijn.".into(),
        E::BadKey(k) => format!(
            "De sleutel “{k}” kan niet. Gebruik alleen kleine letters, cijfers en _ \
             (hoogstens 64 tekens). De woorden id, created_at, role, title en text zijn al bezet."
        ),
        E::DuplicateKey(k) => format!(
            "De sleutel “{k}” komt twee keer voor. Elke sleutel mag maar één keer voorkomen."
        ),
        E::EmptyLabel(k) => format!("Bij “{k}” ontbreekt de tekst. Vul een tekst in."),
        E::MissingPoles(k) => format!(
            "De schuifvraag “{k}” heeft twee uitersten nodig: een tekst links en een tekst rechts."
        ),
        E::TooFewOptions(k) => {
            format!("De vraag “{k}” heeft minstens twee antwoorden nodig. Zet elk antwoord op een eigen regel.")
        }
        E::UnknownRole(k, r) => {
            format!("De vraag “{k}” noemt de rol “{r}”. Die rol bestaat niet in deze vragenlijst.")
        }
        E::UnexpectedOptions(k) => format!(
            "De vraag “{k}” kan geen antwoorden hebben. Alleen keuzevragen hebben antwoorden."
        ),
        E::UnknownModule(k, m) => {
            format!("De vraag “{k}” hoort bij de module “{m}”. Die module kent Vertelpunt niet.")
        }
        E::ModuleChanged(k, m) => format!(
            "De vraag “{k}” hoort bij de {}, maar is anders dan daar. \
             Kernvragen moeten precies gelijk blijven.",
            module_name(m)
        ),
        E::ModuleIncomplete(m, k) => format!(
            "De vragenlijst gebruikt de {}, maar de vraag “{k}” daarvan ontbreekt. \
             Neem alle vragen van de module over, of geen enkele.",
            module_name(m)
        ),
        E::BadLanguage(l) => format!(
            "Vertalingen in de taal “{l}” kunnen niet. Gebruik een taalcode van twee of drie \
             kleine letters, zoals en of ar. Nederlands (nl) is de taal van de vragenlijst zelf."
        ),
    }
}

/// "kernvragen" for the core module, else "module “x”" (used inside sentences).
fn module_name(key: &str) -> String {
    modules::find(key).map_or_else(|| format!("module “{key}”"), |m| m.title.to_lowercase())
}

/// Question keys that a new question may not get: every module's keys (they mean the same
/// in every project) and the reserved names.
fn unavailable_question_key(q: &Questionnaire, retired: &BTreeSet<String>, key: &str) -> bool {
    q.question(key).is_some()
        || retired.contains(key)
        || ["id", "created_at", "role", "title", "text"].contains(&key)
        || modules::all().iter().any(|m| m.question(key).is_some())
}

/// A key from a label: lowercase a-z, 0-9 and `_`, accents dropped, at most 40 characters,
/// with `_2`, `_3` … added when `taken` says the plain one is in use.
pub fn key_from_label(label: &str, fallback: &str, taken: impl Fn(&str) -> bool) -> String {
    let mut base = String::new();
    for c in label.chars().flat_map(char::to_lowercase) {
        let mapped = match c {
            'a'..='z' | '0'..='9' => Some(c),
            'à' | 'á' | 'â' | 'ä' | 'ã' | 'å' => Some('a'),
            'è' | 'é' | 'ê' | 'ë' => Some('e'),
            'ì' | 'í' | 'î' | 'ï' => Some('i'),
            'ò' | 'ó' | 'ô' | 'ö' | 'õ' => Some('o'),
            'ù' | 'ú' | 'û' | 'ü' => Some('u'),
            'ý' | 'ÿ' => Some('y'),
            'ç' => Some('c'),
            'ñ' => Some('n'),
            '\'' | '’' => None,
            _ => Some('_'),
        };
        match mapped {
            Some('_') if base.is_empty() || base.ends_with('_') => {}
            Some(m) => base.push(m),
            None => {}
        }
    }
    let mut base = base.trim_end_matches('_').to_string();
    if base.len() > 40 {
        let cut = base[..40].rfind('_').filter(|&i| i >= 10).unwrap_or(40);
        base.truncate(cut);
    }
    if base.is_empty() {
        base = fallback.to_string();
    }
    if !taken(&base) {
        return base;
    }
    (2..)
        .map(|n| format!("{base}_{n}"))
        .find(|k| !taken(k))
        .unwrap_or(base)
}

fn trimmed(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_string())
}

fn position(q: &Questionnaire, key: &str) -> Result<usize, EditError> {
    q.questions
        .iter()
        .position(|x| x.key == key)
        .ok_or_else(|| EditError::NoSuchQuestion(key.to_string()))
}

/// The position of an editable (non-module) question.
fn editable(q: &Questionnaire, key: &str) -> Result<usize, EditError> {
    let i = position(q, key)?;
    if q.questions[i].module.is_some() {
        return Err(EditError::ModuleQuestion(key.to_string()));
    }
    Ok(i)
}

/// Turns option lines into options: given keys are kept, missing ones made from the label.
/// (Translations live in the questionnaire by text id, so an option that keeps its key keeps
/// them; `Questionnaire::without_stale_translations` drops one whose Dutch changed.)
fn build_options(lines: &[OptionLine]) -> Result<Vec<AnswerOption>, EditError> {
    let given: BTreeSet<&str> = lines.iter().filter_map(|l| l.key.as_deref()).collect();
    let mut options: Vec<AnswerOption> = Vec::with_capacity(lines.len());
    for (n, line) in lines.iter().enumerate() {
        let label = trimmed(&line.label).ok_or(EditError::EmptyOptionLabel(n + 1))?;
        let key = match line.key.as_deref().map(str::trim) {
            Some(k) if !k.is_empty() => k.to_string(),
            _ => key_from_label(&label, "antwoord", |k| {
                given.contains(k) || options.iter().any(|o| o.key == k)
            }),
        };
        options.push(AnswerOption { key, label });
    }
    Ok(options)
}

/// Writes a draft onto a question of the given type (its key and module mark stay as they
/// are).
fn apply_draft(
    q: &Questionnaire,
    question: &mut Question,
    draft: &QuestionDraft,
) -> Result<(), EditError> {
    let is_slider = question.kind == QuestionType::Slider;
    let has_options = matches!(
        question.kind,
        QuestionType::Choice | QuestionType::Multichoice
    );
    question.label = draft.label.trim().to_string();
    question.help = trimmed(&draft.help);
    question.left = trimmed(&draft.left).filter(|_| is_slider);
    question.right = trimmed(&draft.right).filter(|_| is_slider);
    question.allow_na = is_slider && draft.allow_na;
    question.required = draft.required;
    question.context = draft.context;
    question.roles = match &draft.roles {
        None => Vec::new(),
        Some(chosen) if chosen.is_empty() => return Err(EditError::NoRoleChosen),
        Some(chosen) => {
            // Keep the questionnaire's order; choosing every role means "everyone".
            let mut roles: Vec<String> = q
                .roles
                .iter()
                .filter(|r| chosen.contains(&r.key))
                .map(|r| r.key.clone())
                .collect();
            if let Some(unknown) = chosen.iter().find(|c| q.role(c).is_none()) {
                roles.push(unknown.clone());
            }
            if roles.len() == q.roles.len() {
                Vec::new()
            } else {
                roles
            }
        }
    };
    question.role_labels = draft
        .role_labels
        .iter()
        .filter_map(|(role, text)| trimmed(text).map(|t| (role.clone(), t)))
        .collect();
    question.options = if has_options {
        build_options(&draft.options)?
    } else {
        Vec::new()
    };
    Ok(())
}

/// Adds a question of `kind` at the end. `retired` holds keys that older versions used, so a
/// new question never takes over the key (and the CSV column) of a removed one.
/// Returns the new questionnaire and the new question's key.
pub fn add_question(
    q: &Questionnaire,
    kind: QuestionType,
    draft: &QuestionDraft,
    retired: &BTreeSet<String>,
) -> Result<(Questionnaire, String), EditError> {
    let key = key_from_label(&draft.label, "vraag", |k| {
        unavailable_question_key(q, retired, k)
    });
    let mut question = Question {
        key: key.clone(),
        kind,
        label: String::new(),
        help: None,
        left: None,
        right: None,
        allow_na: false,
        options: Vec::new(),
        required: false,
        context: false,
        roles: Vec::new(),
        role_labels: BTreeMap::new(),
        module: None,
    };
    apply_draft(q, &mut question, draft)?;
    let mut next = q.clone();
    next.questions.push(question);
    Ok((next.parse()?, key))
}

/// Changes a question's fields; its key and type stay.
pub fn edit_question(
    q: &Questionnaire,
    key: &str,
    draft: &QuestionDraft,
) -> Result<Questionnaire, EditError> {
    let i = editable(q, key)?;
    let mut next = q.clone();
    apply_draft(q, &mut next.questions[i], draft)?;
    Ok(next.parse()?)
}

/// Moves any question one place (module questions too: the order is the project's choice).
/// At the top or bottom already, nothing changes.
pub fn move_question(q: &Questionnaire, key: &str, dir: Move) -> Result<Questionnaire, EditError> {
    let i = position(q, key)?;
    let mut next = q.clone();
    match dir {
        Move::Up if i > 0 => next.questions.swap(i, i - 1),
        Move::Down if i + 1 < next.questions.len() => next.questions.swap(i, i + 1),
        _ => {}
    }
    Ok(next.parse()?)
}

pub fn remove_question(q: &Questionnaire, key: &str) -> Result<Questionnaire, EditError> {
    let i = editable(q, key)?;
    let mut next = q.clone();
    next.questions.remove(i);
    Ok(next.parse()?)
}

/// The options of an editable question, as lines (for the option operations below).
fn option_lines(q: &Questionnaire, key: &str) -> Result<(usize, Vec<OptionLine>), EditError> {
    let i = editable(q, key)?;
    let draft = QuestionDraft::of(&q.questions[i]);
    Ok((i, draft.options))
}

fn with_option_lines(
    q: &Questionnaire,
    i: usize,
    lines: Vec<OptionLine>,
) -> Result<Questionnaire, EditError> {
    let mut next = q.clone();
    let question = &mut next.questions[i];
    question.options = build_options(&lines)?;
    Ok(next.parse()?)
}

fn option_index(lines: &[OptionLine], question: &str, option: &str) -> Result<usize, EditError> {
    lines
        .iter()
        .position(|l| l.key.as_deref() == Some(option))
        .ok_or_else(|| EditError::NoSuchOption(question.to_string(), option.to_string()))
}

/// Adds an answer option at the end; returns the new questionnaire and the option's key.
pub fn add_option(
    q: &Questionnaire,
    key: &str,
    label: &str,
) -> Result<(Questionnaire, String), EditError> {
    let (i, mut lines) = option_lines(q, key)?;
    lines.push(OptionLine {
        key: None,
        label: label.to_string(),
    });
    let next = with_option_lines(q, i, lines)?;
    let new_key = next.questions[i]
        .options
        .last()
        .map(|o| o.key.clone())
        .unwrap_or_default();
    Ok((next, new_key))
}

pub fn edit_option(
    q: &Questionnaire,
    key: &str,
    option: &str,
    label: &str,
) -> Result<Questionnaire, EditError> {
    let (i, mut lines) = option_lines(q, key)?;
    let n = option_index(&lines, key, option)?;
    lines[n].label = label.to_string();
    with_option_lines(q, i, lines)
}

pub fn move_option(
    q: &Questionnaire,
    key: &str,
    option: &str,
    dir: Move,
) -> Result<Questionnaire, EditError> {
    let (i, mut lines) = option_lines(q, key)?;
    let n = option_index(&lines, key, option)?;
    match dir {
        Move::Up if n > 0 => lines.swap(n, n - 1),
        Move::Down if n + 1 < lines.len() => lines.swap(n, n + 1),
        _ => {}
    }
    with_option_lines(q, i, lines)
}

pub fn remove_option(
    q: &Questionnaire,
    key: &str,
    option: &str,
) -> Result<Questionnaire, EditError> {
    let (i, mut lines) = option_lines(q, key)?;
    let n = option_index(&lines, key, option)?;
    lines.remove(n);
    with_option_lines(q, i, lines)
}

/// Whether the questionnaire includes the module.
pub fn includes(q: &Questionnaire, module: &str) -> bool {
    q.questions
        .iter()
        .any(|x| x.module.as_deref() == Some(module))
}

fn known(module: &str) -> Result<&'static Module, EditError> {
    modules::find(module).ok_or_else(|| EditError::UnknownModule(module.to_string()))
}

/// Copies the module's questions to the top of the questionnaire (the core questions come
/// first, so they are also the ones the completeness rule counts).
pub fn include_module(q: &Questionnaire, module: &str) -> Result<Questionnaire, EditError> {
    let def = known(module)?;
    let name = def.title.to_lowercase();
    if includes(q, module) {
        return Err(EditError::ModuleAlreadyIncluded(name));
    }
    if let Some(role) = def.roles().into_iter().find(|r| q.role(r).is_none()) {
        return Err(EditError::ModuleNeedsRole {
            module: name,
            role: role.to_string(),
        });
    }
    if let Some(taken) = def.questions.iter().find(|m| q.question(&m.key).is_some()) {
        return Err(EditError::ModuleKeyTaken {
            module: name,
            key: taken.key.clone(),
        });
    }
    let mut next = q.clone();
    next.questions = def
        .questions
        .iter()
        .cloned()
        .chain(q.questions.iter().cloned())
        .collect();
    Ok(next.parse()?)
}

/// Removes every question of the module.
pub fn remove_module(q: &Questionnaire, module: &str) -> Result<Questionnaire, EditError> {
    let def = known(module)?;
    if !includes(q, module) {
        return Err(EditError::ModuleNotIncluded(def.title.to_lowercase()));
    }
    let mut next = q.clone();
    next.questions
        .retain(|x| x.module.as_deref() != Some(module));
    Ok(next.parse()?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::modules::KERN;
    use crate::domain::questionnaire::default_questionnaire;
    use crate::domain::questionnaire::tests::sample;

    fn none() -> BTreeSet<String> {
        BTreeSet::new()
    }

    fn draft(label: &str) -> QuestionDraft {
        QuestionDraft {
            label: label.into(),
            ..QuestionDraft::default()
        }
    }

    fn lines(labels: &[&str]) -> Vec<OptionLine> {
        labels
            .iter()
            .map(|l| OptionLine {
                key: None,
                label: (*l).into(),
            })
            .collect()
    }

    fn keys(q: &Questionnaire) -> Vec<&str> {
        q.questions.iter().map(|x| x.key.as_str()).collect()
    }

    fn option_keys<'a>(q: &'a Questionnaire, key: &str) -> Vec<&'a str> {
        q.question(key)
            .map(|x| x.options.iter().map(|o| o.key.as_str()).collect())
            .unwrap_or_default()
    }

    #[test]
    fn keys_come_from_the_label() {
        let free = |_: &str| false;
        assert_eq!(
            key_from_label("Hoe vaak zag je je hulpverlener?", "vraag", free),
            "hoe_vaak_zag_je_je_hulpverlener"
        );
        assert_eq!(
            key_from_label("Één café – ’s avonds", "vraag", free),
            "een_cafe_s_avonds"
        );
        assert_eq!(key_from_label("  ???  ", "vraag", free), "vraag");
        assert_eq!(key_from_label("12+ jaar", "x", free), "12_jaar");
        let long = key_from_label(
            "Werd er in dit verhaal echt naar jou en naar je ouders geluisterd?",
            "vraag",
            free,
        );
        assert!(long.len() <= 40 && !long.ends_with('_'), "{long}");
        let taken = |k: &str| k == "wachten" || k == "wachten_2";
        assert_eq!(key_from_label("Wachten", "vraag", taken), "wachten_3");
    }

    #[test]
    fn adds_a_question_of_every_type() {
        let q = sample();
        let slider = QuestionDraft {
            left: "Nooit".into(),
            right: "Altijd".into(),
            allow_na: true,
            required: true,
            ..draft("Hoe vaak zag je je hulpverlener?")
        };
        let (q, key) = add_question(&q, QuestionType::Slider, &slider, &none()).unwrap();
        assert_eq!(key, "hoe_vaak_zag_je_je_hulpverlener");
        let added = q.question(&key).unwrap();
        assert_eq!(added.left.as_deref(), Some("Nooit"));
        assert!(added.allow_na && added.required && added.module.is_none());

        let choice = QuestionDraft {
            options: lines(&["Ja", "Nee", "Weet ik niet"]),
            ..draft("Was er een wachtlijst?")
        };
        let (q, key) = add_question(&q, QuestionType::Choice, &choice, &none()).unwrap();
        assert_eq!(option_keys(&q, &key), ["ja", "nee", "weet_ik_niet"]);

        let multi = QuestionDraft {
            options: lines(&["Ja", "Ja!"]),
            // Poles and "weet ik niet" mean nothing here and are dropped.
            left: "links".into(),
            allow_na: true,
            ..draft("Wie hielp?")
        };
        let (q, key) = add_question(&q, QuestionType::Multichoice, &multi, &none()).unwrap();
        assert_eq!(option_keys(&q, &key), ["ja", "ja_2"]);
        assert_eq!(q.question(&key).unwrap().left, None);
        assert!(!q.question(&key).unwrap().allow_na);

        let text = QuestionDraft {
            context: true,
            roles: Some(vec!["ouder".into()]),
            role_labels: BTreeMap::from([("ouder".into(), " Uw postcode? ".into())]),
            options: lines(&["genegeerd", "ook"]),
            ..draft("Postcode")
        };
        let (q, key) = add_question(&q, QuestionType::Text, &text, &none()).unwrap();
        let added = q.question(&key).unwrap();
        assert!(added.options.is_empty() && added.context);
        assert_eq!(added.roles, ["ouder"]);
        assert_eq!(added.role_labels["ouder"], "Uw postcode?");
        assert_eq!(keys(&q).last(), Some(&"postcode"));
    }

    #[test]
    fn new_keys_avoid_taken_retired_reserved_and_module_keys() {
        let q = sample();
        let slider = |label: &str| QuestionDraft {
            left: "a".into(),
            right: "b".into(),
            ..draft(label)
        };
        let (_, key) = add_question(&q, QuestionType::Slider, &slider("Gehoord"), &none()).unwrap();
        assert_eq!(key, "gehoord_2");
        let retired = BTreeSet::from(["vroeger".to_string()]);
        let (_, key) =
            add_question(&q, QuestionType::Slider, &slider("Vroeger"), &retired).unwrap();
        assert_eq!(key, "vroeger_2");
        let (_, key) = add_question(&q, QuestionType::Slider, &slider("Title"), &none()).unwrap();
        assert_eq!(key, "title_2");
        // "regie" is a core question: a project's own question never takes its key.
        let (_, key) = add_question(&q, QuestionType::Slider, &slider("Regie"), &none()).unwrap();
        assert_eq!(key, "regie_2");
    }

    #[test]
    fn a_new_question_must_be_valid() {
        let q = sample();
        let err = add_question(&q, QuestionType::Slider, &draft("Zonder polen"), &none());
        assert_eq!(
            err,
            Err(EditError::Invalid(QuestionnaireError::MissingPoles(
                "zonder_polen".into()
            )))
        );
        let err = err.unwrap_err();
        assert_eq!(err.field(), Some("links"));
        assert!(err
            .in_form()
            .starts_with("Een schuifvraag heeft twee uitersten"));
        let err = add_question(&q, QuestionType::Choice, &draft("Eén keus"), &none()).unwrap_err();
        assert_eq!(err.field(), Some("opties"));
        assert!(
            err.to_string().contains("minstens twee antwoorden"),
            "{err}"
        );
        let err = add_question(&q, QuestionType::Text, &draft("   "), &none()).unwrap_err();
        assert_eq!(err.field(), Some("label"));
        let nobody = QuestionDraft {
            roles: Some(vec![]),
            ..draft("Voor niemand")
        };
        assert_eq!(
            add_question(&q, QuestionType::Text, &nobody, &none()),
            Err(EditError::NoRoleChosen)
        );
        let stranger = QuestionDraft {
            roles: Some(vec!["oma".into()]),
            ..draft("Voor oma")
        };
        let err = add_question(&q, QuestionType::Text, &stranger, &none()).unwrap_err();
        assert_eq!(err.field(), Some("rol"));
        let empty_option = QuestionDraft {
            options: lines(&["Ja", " "]),
            ..draft("Leeg antwoord")
        };
        assert_eq!(
            add_question(&q, QuestionType::Choice, &empty_option, &none()),
            Err(EditError::EmptyOptionLabel(2))
        );
        let bad_key = QuestionDraft {
            options: vec![
                OptionLine {
                    key: Some("Hoofd Letters".into()),
                    label: "A".into(),
                },
                OptionLine {
                    key: None,
                    label: "B".into(),
                },
            ],
            ..draft("Slechte sleutel")
        };
        let err = add_question(&q, QuestionType::Choice, &bad_key, &none()).unwrap_err();
        assert_eq!(
            err,
            EditError::Invalid(QuestionnaireError::BadKey("Hoofd Letters".into()))
        );
    }

    #[test]
    fn edits_keep_key_type_and_translations() {
        let mut q = sample();
        q.translations.insert(
            "en".into(),
            [
                (
                    "q.gevoel.label".to_string(),
                    "How does it feel?".to_string(),
                ),
                ("o.gevoel.goed".to_string(), "Good".to_string()),
                ("o.gevoel.slecht".to_string(), "Bad".to_string()),
            ]
            .into(),
        );
        let q = q.parse().unwrap();
        let mut d = QuestionDraft::of(&q.questions[2]);
        d.label = "Hoe voelde het voor jou?".into();
        d.help = "Kies wat het beste past.".into();
        d.required = true;
        d.options[0].label = "Fijn".into();
        d.options.push(OptionLine {
            key: None,
            label: "Gemengd".into(),
        });
        let before = q.clone();
        let q = edit_question(&q, "gevoel", &d)
            .unwrap()
            .without_stale_translations(&before);
        let edited = q.question("gevoel").unwrap();
        assert_eq!(edited.label, "Hoe voelde het voor jou?");
        assert_eq!(edited.help.as_deref(), Some("Kies wat het beste past."));
        assert!(edited.required);
        assert_eq!(edited.kind, QuestionType::Choice);
        assert_eq!(option_keys(&q, "gevoel"), ["goed", "slecht", "gemengd"]);
        assert_eq!(edited.options[0].label, "Fijn");
        // The texts whose Dutch changed lost their translation; the others kept it.
        assert_eq!(q.translation("en", "o.gevoel.slecht"), Some("Bad"));
        assert_eq!(q.translation("en", "o.gevoel.goed"), None);
        assert_eq!(q.translation("en", "q.gevoel.label"), None);
        assert_eq!(keys(&q)[2], "gevoel");

        // Choosing every role means "everyone"; a subset is kept in questionnaire order.
        let mut d = QuestionDraft::of(q.question("gehoord").unwrap());
        d.roles = Some(vec!["ouder".into(), "jongere".into()]);
        let all = edit_question(&q, "gehoord", &d).unwrap();
        assert!(all.question("gehoord").unwrap().roles.is_empty());
        d.roles = Some(vec!["ouder".into()]);
        d.role_labels = BTreeMap::from([
            ("ouder".into(), "Werd er naar jullie geluisterd?".into()),
            ("jongere".into(), "  ".into()),
        ]);
        let some = edit_question(&q, "gehoord", &d).unwrap();
        let gehoord = some.question("gehoord").unwrap();
        assert_eq!(gehoord.roles, ["ouder"]);
        assert_eq!(gehoord.role_labels.len(), 1);

        // Invalid edits are refused, and unknown keys are named.
        let mut d = QuestionDraft::of(q.question("op_tijd").unwrap());
        d.right = String::new();
        assert!(matches!(
            edit_question(&q, "op_tijd", &d),
            Err(EditError::Invalid(QuestionnaireError::MissingPoles(_)))
        ));
        assert_eq!(
            edit_question(&q, "weg", &d),
            Err(EditError::NoSuchQuestion("weg".into()))
        );
    }

    #[test]
    fn moves_and_removes_questions() {
        let q = sample();
        let q = move_question(&q, "op_tijd", Move::Up).unwrap();
        assert_eq!(&keys(&q)[..3], ["op_tijd", "gehoord", "gevoel"]);
        let q = move_question(&q, "op_tijd", Move::Up).unwrap();
        assert_eq!(keys(&q)[0], "op_tijd");
        let q = move_question(&q, "gehoord", Move::Down).unwrap();
        assert_eq!(&keys(&q)[..3], ["op_tijd", "gevoel", "gehoord"]);
        let q = move_question(&q, "leeftijd_kind", Move::Down).unwrap();
        assert_eq!(keys(&q).last(), Some(&"leeftijd_kind"));
        let q = remove_question(&q, "gevoel").unwrap();
        assert!(q.question("gevoel").is_none());
        assert_eq!(q.questions.len(), 5);
        assert_eq!(
            remove_question(&q, "gevoel"),
            Err(EditError::NoSuchQuestion("gevoel".into()))
        );
        assert_eq!(
            move_question(&q, "gevoel", Move::Up),
            Err(EditError::NoSuchQuestion("gevoel".into()))
        );
    }

    #[test]
    fn option_operations() {
        let q = sample();
        let (q, key) = add_option(&q, "hulp", "Huisarts").unwrap();
        assert_eq!(key, "huisarts");
        assert_eq!(
            option_keys(&q, "hulp"),
            ["wijkteam", "ggz", "school", "huisarts"]
        );
        let (q, key) = add_option(&q, "hulp", "GGZ").unwrap();
        assert_eq!(key, "ggz_2");
        let q = edit_option(&q, "hulp", "ggz", "Jeugd-ggz").unwrap();
        assert_eq!(q.question("hulp").unwrap().options[1].label, "Jeugd-ggz");
        let q = move_option(&q, "hulp", "huisarts", Move::Up).unwrap();
        assert_eq!(
            option_keys(&q, "hulp"),
            ["wijkteam", "ggz", "huisarts", "school", "ggz_2"]
        );
        let q = move_option(&q, "hulp", "wijkteam", Move::Up).unwrap();
        assert_eq!(option_keys(&q, "hulp")[0], "wijkteam");
        let q = remove_option(&q, "hulp", "ggz_2").unwrap();
        assert_eq!(option_keys(&q, "hulp").len(), 4);
        assert_eq!(
            edit_option(&q, "hulp", "ggz", " "),
            Err(EditError::EmptyOptionLabel(2))
        );
        assert_eq!(
            remove_option(&q, "hulp", "weg"),
            Err(EditError::NoSuchOption("hulp".into(), "weg".into()))
        );
        // A choice keeps at least two options; sliders have none to add.
        let q = remove_option(&q, "gevoel", "slecht");
        assert_eq!(
            q,
            Err(EditError::Invalid(QuestionnaireError::TooFewOptions(
                "gevoel".into()
            )))
        );
        assert!(matches!(
            add_option(&sample(), "gehoord", "Ja"),
            Err(EditError::Invalid(QuestionnaireError::UnexpectedOptions(_)))
        ));
    }

    /// A questionnaire with the roles the core module needs, without the module.
    fn three_roles() -> Questionnaire {
        let mut q = default_questionnaire().expect("default");
        q.questions.retain(|x| x.module.is_none());
        q.parse().expect("still valid without the module")
    }

    #[test]
    fn the_default_questionnaire_includes_the_core_module() {
        let q = default_questionnaire().expect("default");
        assert!(includes(&q, KERN));
        assert_eq!(&keys(&q)[..3], ["gehoord", "juiste_hulp", "op_tijd"]);
    }

    #[test]
    fn including_and_removing_the_core_module() {
        let q = three_roles();
        assert!(!includes(&q, KERN));
        let with = include_module(&q, KERN).unwrap();
        assert!(includes(&with, KERN));
        let kern = modules::find(KERN).unwrap();
        assert_eq!(
            with.questions.len(),
            q.questions.len() + kern.questions.len()
        );
        assert_eq!(&with.questions[..kern.questions.len()], &kern.questions[..]);
        assert_eq!(
            include_module(&with, KERN),
            Err(EditError::ModuleAlreadyIncluded("kernvragen".into()))
        );
        let without = remove_module(&with, KERN).unwrap();
        assert_eq!(without, q);
        assert_eq!(
            remove_module(&q, KERN),
            Err(EditError::ModuleNotIncluded("kernvragen".into()))
        );
        assert_eq!(
            include_module(&q, "bestaat_niet"),
            Err(EditError::UnknownModule("bestaat_niet".into()))
        );
    }

    #[test]
    fn the_core_module_needs_its_roles_and_free_keys() {
        // The sample has no "professional" role.
        assert_eq!(
            include_module(&sample(), KERN),
            Err(EditError::ModuleNeedsRole {
                module: "kernvragen".into(),
                role: "professional".into()
            })
        );
        let mut q = three_roles();
        let mut own = modules::find(KERN).unwrap().questions[3].clone();
        own.module = None;
        own.label = "Onze eigen regievraag".into();
        q.questions.push(own);
        let q = q.parse().unwrap();
        assert_eq!(
            include_module(&q, KERN),
            Err(EditError::ModuleKeyTaken {
                module: "kernvragen".into(),
                key: "regie".into()
            })
        );
    }

    #[test]
    fn core_questions_can_move_but_not_be_edited_or_removed_alone() {
        let q = default_questionnaire().expect("default");
        let moved = move_question(&q, "gehoord", Move::Down).unwrap();
        assert_eq!(&keys(&moved)[..2], ["juiste_hulp", "gehoord"]);
        let d = QuestionDraft::of(q.question("gehoord").unwrap());
        assert_eq!(
            edit_question(&q, "gehoord", &d),
            Err(EditError::ModuleQuestion("gehoord".into()))
        );
        assert_eq!(
            remove_question(&q, "regie"),
            Err(EditError::ModuleQuestion("regie".into()))
        );
        assert_eq!(
            add_option(&q, "leeftijd", "Honderd"),
            Err(EditError::ModuleQuestion("leeftijd".into()))
        );
        assert_eq!(
            remove_option(&q, "leeftijd", "jaar_16_17"),
            Err(EditError::ModuleQuestion("leeftijd".into()))
        );
        // Changed by hand (e.g. in imported JSON), a core question is refused by parse.
        let mut changed = q.clone();
        changed.questions[0].left = Some("Anders".into());
        let err = EditError::from(changed.parse().unwrap_err());
        assert!(err.to_string().contains("precies gelijk blijven"), "{err}");
    }

    #[test]
    fn every_questionnaire_error_has_a_dutch_explanation() {
        for e in [
            QuestionnaireError::Json("x".into()),
            QuestionnaireError::BadSlug("X".into()),
            QuestionnaireError::EmptyTitle,
            QuestionnaireError::NoRoles,
            QuestionnaireError::BadKey("X".into()),
            QuestionnaireError::DuplicateKey("a".into()),
            QuestionnaireError::EmptyLabel("a".into()),
            QuestionnaireError::MissingPoles("a".into()),
            QuestionnaireError::TooFewOptions("a".into()),
            QuestionnaireError::UnknownRole("a".into(), "b".into()),
            QuestionnaireError::UnexpectedOptions("a".into()),
            QuestionnaireError::UnknownModule("a".into(), "m".into()),
            QuestionnaireError::ModuleChanged("a".into(), KERN.into()),
            QuestionnaireError::ModuleIncomplete(KERN.into(), "a".into()),
        ] {
            let text = explain(&e);
            assert!(text.ends_with('.') && !text.contains("question"), "{text}");
        }
    }
}
