//! A cached project's data follows the change log: changed stories are read again and put in,
//! taken out or replaced, so a new story costs one story's work, not a reload of the project.

use super::{AnalysisError, ProjectData, StoryFacts, StoryMeta, DERIVED};
use crate::domain::Questionnaire;
use crate::service::error::ServiceError;
use crate::store::stories::Changed;
use crate::store::StoreError;
use std::collections::{BTreeSet, HashMap};

/// Where the story `(created_at, id)` sits, or would sit, among stories in story order.
fn position(stories: &[StoryMeta], created_at: i64, id: &str) -> (usize, bool) {
    let at = stories.partition_point(|m| (m.created_at, m.id.as_str()) < (created_at, id));
    let found = stories
        .get(at)
        .is_some_and(|m| m.created_at == created_at && m.id == id);
    (at, found)
}

impl ProjectData {
    /// Takes in stories that changed: `changed_ids` are all that the log named, `now` what
    /// the database holds of them now. Afterwards the data equals a fresh load (the tests
    /// below compare the two). An error means the new stories do not fit: reload in full.
    pub(super) fn follow(
        &mut self,
        changed_ids: &BTreeSet<String>,
        now: Changed,
        versions: &HashMap<i32, Questionnaire>,
        tables: &HashMap<String, String>,
    ) -> Result<(), AnalysisError> {
        let row_keys: HashMap<&str, i64> = now
            .positions
            .iter()
            .map(|(id, _, key)| (id.as_str(), *key))
            .collect();
        let facts = now
            .records
            .iter()
            .map(|r| StoryFacts {
                row_key: row_keys.get(r.id.as_str()).copied().unwrap_or(0),
                table: tables.get(r.id.as_str()).map(|t| t.as_str().into()),
                ..StoryFacts::of(r)
            })
            .collect();
        let fresh = ProjectData::build(self.project.clone(), facts, now.rows, versions)?;
        // Out first: a story that changed is taken out wherever it was and put back below if
        // it may still be analysed.
        let mut out: Vec<usize> = Vec::new();
        let mut located: BTreeSet<&str> = BTreeSet::new();
        for (id, created_at, _) in &now.positions {
            located.insert(id.as_str());
            if let (at, true) = position(&self.stories, *created_at, id) {
                out.push(at);
            }
        }
        // A story that is gone from the database entirely is looked for by id.
        for id in changed_ids
            .iter()
            .filter(|id| !located.contains(id.as_str()))
        {
            if let Some(at) = self.stories.iter().position(|m| m.id == id) {
                out.push(at);
            }
        }
        out.sort_unstable();
        out.dedup();
        for &at in out.iter().rev() {
            self.stories.remove(at);
            self.dataset.remove_story(at);
            self.replies.remove_story(at);
        }
        for (j, meta) in fresh.stories.iter().enumerate() {
            let (at, _) = position(&self.stories, meta.created_at, &meta.id);
            self.dataset
                .insert_story(at, &fresh.dataset, j)
                .and_then(|()| self.replies.insert_story(at, &fresh.replies, j))
                .map_err(|e| {
                    AnalysisError::Core(ServiceError::Store(StoreError::Corrupt(e.to_string())))
                })?;
            self.stories.insert(at, meta.clone());
        }
        if !out.is_empty() {
            for key in DERIVED {
                self.dataset.drop_unused_options(key);
            }
        }
        self.revision = super::next_revision();
        Ok(())
    }
}
