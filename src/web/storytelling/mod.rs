//! The storyteller's path: landing → story and duiding → thank-you → (later) withdrawal.

pub mod landing;
pub mod measure;
pub mod results;
pub mod resume;
pub mod story;
pub mod table;
pub mod table_offline;
pub mod withdraw;

use super::errors::WebError;
use super::AppState;
use crate::domain::Project;
use std::sync::Arc;

/// Tells a teller's page in which language the questionnaire's texts are: `q_lang` is the
/// page's language when the project offers the questionnaire in it, otherwise `nl`; then
/// `questions_dutch` is true on a page in another language, and the page says that the
/// questions are in Dutch and marks them `lang="nl"`.
pub(crate) fn insert_questionnaire_language(
    ctx: &mut tera::Context,
    project: &Project,
    lang: &str,
) {
    let q_lang = project.questionnaire_language(lang);
    ctx.insert("q_lang", q_lang);
    ctx.insert("questions_dutch", &(q_lang != lang));
}

/// The project of the URL, or 404.
pub async fn project_or_404(state: &AppState, slug: &str) -> Result<Arc<Project>, WebError> {
    state
        .projects
        .get(&state.db, slug)
        .await?
        .ok_or(WebError::NotFound)
}
