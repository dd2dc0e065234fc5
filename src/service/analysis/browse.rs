//! The story browser: the stories behind the figures, with the same filters as the analysis
//! pages plus a search in title and text.

use super::{AnalysisError, ProjectData, Selection};
use crate::domain::accounts::ProjectAction;
use crate::domain::search;
use crate::domain::Questionnaire;
use crate::service::accounts::SignedIn;
use crate::store::stories::{self, Story};
use crate::store::{search_index, Database};

/// Stories per page.
pub const PER_PAGE: usize = 20;

/// One page of the browser.
pub struct StoryPage {
    /// Each story with the questionnaire version it was told with.
    pub stories: Vec<(Story, Option<Questionnaire>)>,
    /// How many stories match in all.
    pub total: usize,
    pub page: usize,
    pub pages: usize,
    /// The stems searched for (empty without a search).
    pub terms: Vec<String>,
    /// Set to the project's k when fewer than k stories match and the reader may not moderate:
    /// the stories are then not shown (small-cell protection, docs/privacy.md).
    pub protected_below: Option<u32>,
}

/// Page `page` (from 1; out of range is clamped) of the selected stories that contain every
/// searched word, newest first. Hidden reasons and pre-redaction originals are not read here:
/// the browser is for reading what is analysed, not for moderation.
pub fn browse(
    db: &Database,
    by: &SignedIn,
    data: &ProjectData,
    selection: &Selection,
    search_text: &str,
    page: usize,
) -> Result<StoryPage, AnalysisError> {
    let slug = data.project.slug.as_str();
    if !by.access.can(slug, ProjectAction::Read) {
        return Err(AnalysisError::NotAllowed);
    }
    let terms = search::terms(search_text);
    if !terms.is_empty() {
        search_index::catch_up(db)?;
    }
    let mut conn = db.conn()?;
    let mut ids = data.story_ids(selection);
    if !terms.is_empty() {
        let found = stories::ids_containing(&mut conn, slug, &terms)?;
        ids.retain(|id| found.contains(*id));
    }
    let total = ids.len();
    let k = data.project.settings.privacy.k();
    let small = crate::domain::privacy::small_selection(total, data.stories.len(), k).is_some();
    if !by.access.can(slug, ProjectAction::Moderate) && small {
        return Ok(StoryPage {
            stories: Vec::new(),
            total,
            page: 1,
            pages: 1,
            terms,
            protected_below: Some(k),
        });
    }
    let pages = total.div_ceil(PER_PAGE).max(1);
    let page = page.clamp(1, pages);
    let wanted: Vec<String> = ids
        .iter()
        .skip((page - 1) * PER_PAGE)
        .take(PER_PAGE)
        .map(|id| id.to_string())
        .collect();
    let mut found = stories::find_many_in_project(&mut conn, slug, &wanted)?;
    for (story, _) in &mut found {
        let m = &mut story.record.moderation;
        m.hidden_reason = None;
        m.original_title = None;
        m.original_body = None;
    }
    Ok(StoryPage {
        stories: found,
        total,
        page,
        pages,
        terms,
        protected_below: None,
    })
}
