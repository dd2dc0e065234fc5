//! Projects side by side on the shared core module ("kernvragen"): a region's vertelpunt beside
//! the national one, or several regions beside one reference project.
//!
//! Only the questions of the `kern` module take part: they are the same in every project that
//! has the module (`domain::modules` checks that on every questionnaire), so their answers can
//! be set side by side. Each project's analysable stories count (the same selection as every
//! analysis: consented, not hidden, not withdrawn). Every other project is tested against the
//! reference with `analysis::compare_with_reference`: the tests of `analysis::compare`, one
//! Benjamini–Hochberg over all of them.
//!
//! Small-cell protection per side: a project with fewer than k analysable stories (the larger k
//! of that project and the reference) is not shown and not tested; when the reference itself
//! is that small, nothing is.

use super::{AnalysisCache, AnalysisError, ProjectData};
use crate::analysis::sides;
use crate::analysis::{self, CompareSettings, Comparison, Dataset};
use crate::domain::accounts::ProjectAction;
use crate::domain::modules::{self, KERN};
use crate::domain::Project;
use crate::service::accounts::SignedIn;
use crate::service::error::require;
use crate::store::Database;
use serde::Serialize;
use std::sync::Arc;

/// At most this many projects beside the reference.
pub const MAX_OTHERS: usize = 8;

/// One project in a comparison.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Side {
    pub slug: String,
    pub name: String,
    /// Its analysable stories.
    pub stories: usize,
    /// Questions of its questionnaire that are not in the core module, and so left out.
    pub left_out: usize,
    /// The smallest group whose figures may be shown (this project's k, or the reference's
    /// when that is larger).
    pub k: u32,
    /// Whether it has at least k stories: otherwise it is neither shown nor tested.
    pub shown: bool,
}

/// Another project beside the reference, and its comparison when it is shown.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Beside {
    pub side: Side,
    /// Its stories (the part) against the reference's (the rest).
    pub comparison: Option<Comparison>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProjectsComparison {
    pub reference: Side,
    pub others: Vec<Beside>,
    /// The core questions, by key, in the module's order.
    pub questions: Vec<String>,
    /// Tests and strong differences of all comparisons together.
    pub tests: usize,
    pub strong: usize,
}

/// Whether a project's questionnaire has the core module.
pub fn has_core(project: &Project) -> bool {
    project
        .questionnaire
        .questions
        .iter()
        .any(|q| q.module.as_deref() == Some(KERN))
}

/// The keys of the core module's questions.
pub fn core_keys() -> Vec<&'static str> {
    modules::find(KERN)
        .map(|m| m.questions.iter().map(|q| q.key.as_str()).collect())
        .unwrap_or_default()
}

fn side_of(data: &ProjectData, reference_k: u32) -> Side {
    let project = &data.project;
    let k = project.settings.privacy.k().max(reference_k);
    let stories = data.stories.len();
    Side {
        slug: project.slug.clone(),
        name: project.name.clone(),
        stories,
        left_out: project
            .questionnaire
            .questions
            .iter()
            .filter(|q| q.module.as_deref() != Some(KERN))
            .count(),
        k,
        shown: crate::domain::smallcell::count_is_safe(stories, k) && stories > 0,
    }
}

/// The core questions of `parts` as one dataset (with `extra` questions such as the role),
/// and the side of each story: `Some(i)` for the stories of `parts[i]`.
pub fn core_dataset(parts: &[&ProjectData], extra: &[&str]) -> (Dataset, Vec<Option<usize>>) {
    let mut keys = core_keys();
    keys.extend(
        extra
            .iter()
            .filter(|k| !keys.contains(k))
            .copied()
            .collect::<Vec<_>>(),
    );
    let datasets: Vec<&Dataset> = parts.iter().map(|p| &p.dataset).collect();
    let joined = sides::join(&datasets, &keys);
    let side = parts
        .iter()
        .enumerate()
        .flat_map(|(i, p)| std::iter::repeat_n(Some(i), p.dataset.stories))
        .collect();
    (joined, side)
}

/// Compares loaded projects: `reference` and, beside it, each of `others`. Refuses a project
/// without the core module.
pub fn compare_loaded(
    reference: &ProjectData,
    others: &[Arc<ProjectData>],
    settings: CompareSettings,
) -> Result<ProjectsComparison, AnalysisError> {
    for data in std::iter::once(reference).chain(others.iter().map(|o| o.as_ref())) {
        if !has_core(&data.project) {
            return Err(AnalysisError::NoCore(data.project.name.clone()));
        }
    }
    let reference_k = reference.project.settings.privacy.k();
    let reference_side = side_of(reference, 0);
    let mut besides: Vec<Beside> = others
        .iter()
        .map(|o| {
            let mut side = side_of(o, reference_k);
            side.shown = side.shown && reference_side.shown;
            Beside {
                side,
                comparison: None,
            }
        })
        .collect();
    let shown: Vec<usize> = (0..besides.len())
        .filter(|&i| besides[i].side.shown)
        .collect();
    if !shown.is_empty() {
        let parts: Vec<&ProjectData> = std::iter::once(reference)
            .chain(shown.iter().map(|&i| others[i].as_ref()))
            .collect();
        let (data, side) = core_dataset(&parts, &[]);
        let names: Vec<String> = parts.iter().map(|p| p.project.name.clone()).collect();
        let settings = CompareSettings {
            reference: analysis::Reference::Rest,
            ..settings
        };
        let compared = analysis::compare_with_reference(&data, &side, &names, settings);
        for (&i, mut c) in shown.iter().zip(compared) {
            let side = &besides[i].side;
            analysis::compare::protect_sentences(&mut c, &side.name, &reference_side.name, side.k);
            besides[i].comparison = Some(c);
        }
    }
    let compared = || besides.iter().filter_map(|b| b.comparison.as_ref());
    Ok(ProjectsComparison {
        tests: compared().map(|c| c.tests).sum(),
        strong: compared().map(|c| c.strong).sum(),
        questions: core_keys().into_iter().map(String::from).collect(),
        reference: reference_side,
        others: besides,
    })
}

/// The other projects as asked: without repeats and without the reference, at most
/// [`MAX_OTHERS`].
pub fn others_asked(reference: &str, asked: &[String]) -> Vec<String> {
    let mut others: Vec<String> = Vec::new();
    for slug in asked.iter().map(|s| s.trim()) {
        if !slug.is_empty() && slug != reference && !others.iter().any(|o| o == slug) {
            others.push(slug.to_string());
        }
    }
    others.truncate(MAX_OTHERS);
    others
}

/// Checks that `by` may read every project first (so that a project that does not exist and
/// one without rights look the same), then reads them through the cache.
pub fn load_for(
    cache: &AnalysisCache,
    db: &Database,
    by: &SignedIn,
    reference: &str,
    others: &[String],
) -> Result<(Arc<ProjectData>, Vec<Arc<ProjectData>>), AnalysisError> {
    for slug in std::iter::once(reference).chain(others.iter().map(String::as_str)) {
        require(by, slug, ProjectAction::Read)?;
    }
    let reference = cache.project(db, reference)?;
    let others = others
        .iter()
        .map(|slug| cache.project(db, slug))
        .collect::<Result<Vec<_>, _>>()?;
    Ok((reference, others))
}

/// Loads and compares with the rights of `by` (the web).
pub fn compare_projects(
    cache: &AnalysisCache,
    db: &Database,
    by: &SignedIn,
    reference: &str,
    others: &[String],
    settings: CompareSettings,
) -> Result<ProjectsComparison, AnalysisError> {
    let others = others_asked(reference, others);
    let (reference, others) = load_for(cache, db, by, reference, &others)?;
    compare_loaded(&reference, &others, settings)
}

/// Loads without a cache and compares (the command line, which runs with the operator's
/// rights).
pub fn compare_projects_once(
    db: &Database,
    reference: &str,
    others: &[String],
    settings: CompareSettings,
) -> Result<ProjectsComparison, AnalysisError> {
    let others = others_asked(reference, others);
    let reference = super::load_project(db, reference)?;
    let others = others
        .iter()
        .map(|slug| super::load_project(db, slug).map(Arc::new))
        .collect::<Result<Vec<_>, _>>()?;
    compare_loaded(&reference, &others, settings)
}

/// The projects `by` may read besides `reference`, to choose from: (slug, name), by name.
pub fn choices(
    db: &Database,
    by: &SignedIn,
    reference: &str,
) -> Result<Vec<(String, String)>, AnalysisError> {
    require(by, reference, ProjectAction::Read)?;
    let mut conn = db.conn()?;
    Ok(crate::store::projects::list(&mut conn)?
        .into_iter()
        .filter(|p| p.slug != reference && by.access.can(&p.slug, ProjectAction::Read))
        .map(|p| (p.slug, p.name))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_other_projects_are_asked_once_without_the_reference() {
        let asked: Vec<String> = ["regio", " regio ", "landelijk", "", "jeugdhulp"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(others_asked("jeugdhulp", &asked), ["regio", "landelijk"]);
        let many: Vec<String> = (0..20).map(|i| format!("p{i}")).collect();
        assert_eq!(others_asked("x", &many).len(), MAX_OTHERS);
    }
}
