//! Shared question modules: sets of questions that every project asks in exactly the same
//! words and with the same keys, so that regions stay comparable with the national vertelpunt.
//!
//! A module's questions are copied into a questionnaire and marked with `module`. When a
//! questionnaire is parsed, such questions must equal the module's definition and the module
//! must be complete. Stored versions are checked the same way when they are read, so **a
//! shipped module never changes**: a different core set gets a new module key, and the old
//! definition stays in the binary.
//!
//! Translations of a module's texts are not part of its questions: they live in the
//! questionnaire's own map by text id (`domain::translations`), so a project may translate
//! the core questions without changing them.

use super::questionnaire::{Question, QuestionnaireError};
use serde::Deserialize;
use std::collections::BTreeSet;
use std::sync::OnceLock;

/// The core module ("kernvragen").
pub const KERN: &str = "kern";

/// Every module this build knows, as embedded JSON.
const SHIPPED: &[&str] = &[include_str!("../../questionnaires/modules/kern.json")];

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Module {
    pub key: String,
    pub title: String,
    pub description: String,
    pub questions: Vec<Question>,
}

impl Module {
    pub fn question(&self, key: &str) -> Option<&Question> {
        self.questions.iter().find(|q| q.key == key)
    }

    /// The role keys the module's questions name (in `roles` or `role_labels`). A
    /// questionnaire must have all of them to include the module.
    pub fn roles(&self) -> BTreeSet<&str> {
        self.questions
            .iter()
            .flat_map(|q| {
                q.roles
                    .iter()
                    .map(String::as_str)
                    .chain(q.role_labels.keys().map(String::as_str))
            })
            .collect()
    }
}

fn load(json: &str) -> Result<Module, serde_json::Error> {
    let mut module: Module = serde_json::from_str(json)?;
    for q in &mut module.questions {
        q.module = Some(module.key.clone());
    }
    Ok(module)
}

/// The shipped modules. A broken embedded file is left out (and logged); the unit tests make
/// sure that does not happen.
pub fn all() -> &'static [Module] {
    static MODULES: OnceLock<Vec<Module>> = OnceLock::new();
    MODULES.get_or_init(|| {
        SHIPPED
            .iter()
            .filter_map(|json| match load(json) {
                Ok(m) => Some(m),
                Err(e) => {
                    tracing::error!(error = %e, "a shipped question module is not valid JSON");
                    None
                }
            })
            .collect()
    })
}

pub fn find(key: &str) -> Option<&'static Module> {
    all().iter().find(|m| m.key == key)
}

/// Part of `Questionnaire::parse`: every question marked with a module is exactly the module's
/// question, and a module that is used is there completely.
pub fn check(questions: &[Question]) -> Result<(), QuestionnaireError> {
    let mut used = BTreeSet::new();
    for q in questions {
        let Some(name) = &q.module else { continue };
        let module = find(name)
            .ok_or_else(|| QuestionnaireError::UnknownModule(q.key.clone(), name.clone()))?;
        if module.question(&q.key) != Some(q) {
            return Err(QuestionnaireError::ModuleChanged(
                q.key.clone(),
                name.clone(),
            ));
        }
        used.insert(module.key.as_str());
    }
    for module in used.into_iter().filter_map(find) {
        if let Some(missing) = module.questions.iter().find(|m| {
            !questions
                .iter()
                .any(|q| q.key == m.key && q.module == m.module)
        }) {
            return Err(QuestionnaireError::ModuleIncomplete(
                module.key.clone(),
                missing.key.clone(),
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use sha2::{Digest, Sha256};

    #[test]
    fn the_core_module_loads_and_marks_its_questions() {
        let kern = find(KERN).expect("the core module is shipped");
        let keys: Vec<_> = kern.questions.iter().map(|q| q.key.as_str()).collect();
        assert_eq!(
            keys,
            [
                "gehoord",
                "juiste_hulp",
                "op_tijd",
                "regie",
                "leeftijd",
                "leeftijd_kind"
            ]
        );
        assert!(kern
            .questions
            .iter()
            .all(|q| q.module.as_deref() == Some(KERN)));
        assert_eq!(
            kern.roles().into_iter().collect::<Vec<_>>(),
            ["jongere", "ouder", "professional"]
        );
        assert_eq!(all().len(), SHIPPED.len());
    }

    /// Stored questionnaires are checked against the module, so a shipped module must never
    /// change. If this fails you changed `kern.json`: undo that and add a new module instead.
    #[test]
    fn the_core_module_is_frozen() {
        let kern = find(KERN).expect("core module");
        let canonical = serde_json::to_string(&kern.questions).expect("serialise");
        let digest = hex::encode(Sha256::digest(canonical.as_bytes()));
        assert_eq!(digest, KERN_FINGERPRINT, "{canonical}");
    }

    const KERN_FINGERPRINT: &str =
        "053ae174be7d170d331cc07b26af82fd04250c172a0032ceef960f2e67cafa1c";

    #[test]
    fn check_refuses_changed_unknown_and_incomplete_modules() {
        let kern = find(KERN).expect("core module");
        let mut questions = kern.questions.clone();
        assert_eq!(check(&questions), Ok(()));

        questions[0].label = "Anders gezegd".into();
        assert_eq!(
            check(&questions),
            Err(QuestionnaireError::ModuleChanged(
                "gehoord".into(),
                "kern".into()
            ))
        );

        let mut questions = kern.questions.clone();
        questions.remove(2);
        assert_eq!(
            check(&questions),
            Err(QuestionnaireError::ModuleIncomplete(
                "kern".into(),
                "op_tijd".into()
            ))
        );

        let mut questions = kern.questions.clone();
        questions[1].module = Some("bestaat_niet".into());
        assert_eq!(
            check(&questions),
            Err(QuestionnaireError::UnknownModule(
                "juiste_hulp".into(),
                "bestaat_niet".into()
            ))
        );

        // The same key without the mark is an ordinary question of the project.
        let mut plain = kern.questions[0].clone();
        plain.module = None;
        plain.label = "Eigen vraag".into();
        assert_eq!(check(&[plain]), Ok(()));
    }
}
