//! The storyteller's path: landing → story and duiding → thank-you → (later) withdrawal.

pub mod landing;
pub mod resume;
pub mod story;
pub mod withdraw;

use super::errors::WebError;
use super::AppState;
use crate::domain::Project;
use std::sync::Arc;

/// The project of the URL, or 404.
pub async fn project_or_404(state: &AppState, slug: &str) -> Result<Arc<Project>, WebError> {
    state
        .projects
        .get(&state.db, slug)
        .await?
        .ok_or(WebError::NotFound)
}
