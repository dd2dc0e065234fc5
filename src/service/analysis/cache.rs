//! Analyses are recomputed only when a project's data changes.
//!
//! Every change to a project's stories or questionnaire bumps its data revision in the
//! database (see `store::projects::bump_revision`). Each request reads that one number; while
//! it is unchanged, the project's data and the scans made of it are served from memory. The
//! revision lives in the database, so instances that share it never serve each other's stale
//! figures. Both caches are small and drop the least recently used entry first.

use super::{load_project, AnalysisError, ProjectData, StoryFilter};
use crate::analysis::{self, Scan, ScanSettings};
use crate::store::{projects, Database};
use std::sync::{Arc, Mutex, MutexGuard};

/// Projects whose data is kept in memory at once.
const PROJECTS: usize = 4;
/// Scans kept at once (different filters and settings).
const SCANS: usize = 32;

/// A scan is the same when the data revision, the filter and the settings are.
#[derive(Debug, Clone, PartialEq)]
struct ScanKey {
    slug: String,
    revision: i64,
    filter: String,
    settings: String,
}

#[derive(Default)]
pub struct AnalysisCache {
    projects: Mutex<Vec<Arc<ProjectData>>>,
    scans: Mutex<Vec<(ScanKey, Arc<Scan>)>>,
}

/// A poisoned lock only means another request panicked while holding it; the lists are still
/// valid (each change is a single push or remove), so go on with them.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Moves the entry at `index` to the end (most recently used) and returns it.
fn touch<T: Clone>(list: &mut Vec<T>, index: usize) -> T {
    let entry = list.remove(index);
    list.push(entry.clone());
    entry
}

impl AnalysisCache {
    pub fn new() -> Self {
        Self::default()
    }

    /// The project's analysable data at its current revision.
    pub fn project(&self, db: &Database, slug: &str) -> Result<Arc<ProjectData>, AnalysisError> {
        let revision = {
            let mut conn = db.conn()?;
            projects::data_revision(&mut conn, slug)?
                .ok_or_else(|| AnalysisError::NoProject(slug.into()))?
        };
        {
            let mut cached = lock(&self.projects);
            if let Some(i) = cached
                .iter()
                .position(|d| d.project.slug == slug && d.revision == revision)
            {
                return Ok(touch(&mut cached, i));
            }
        }
        // Loaded outside the lock: other projects stay available meanwhile. Two requests that
        // miss at once both load; the second simply replaces the first.
        let data = Arc::new(load_project(db, slug)?);
        let mut cached = lock(&self.projects);
        cached.retain(|d| d.project.slug != slug);
        cached.push(data.clone());
        if cached.len() > PROJECTS {
            cached.remove(0);
        }
        Ok(data)
    }

    /// The scan of `data` narrowed by `filter`, computed once per revision, filter and settings.
    pub fn scan(
        &self,
        data: &ProjectData,
        filter: &StoryFilter,
        settings: ScanSettings,
    ) -> Result<Arc<Scan>, AnalysisError> {
        let key = ScanKey {
            slug: data.project.slug.clone(),
            revision: data.revision,
            filter: filter.canonical(),
            settings: format!("{settings:?}"),
        };
        {
            let mut scans = lock(&self.scans);
            if let Some(i) = scans.iter().position(|(k, _)| *k == key) {
                return Ok(touch(&mut scans, i).1);
            }
        }
        let selection = data.select(filter)?;
        let scan = Arc::new(analysis::scan(&data.scan_dataset(&selection), settings));
        let mut scans = lock(&self.scans);
        // Scans of an older revision of this project will never be asked for again.
        scans.retain(|(k, _)| k.slug != key.slug || k.revision == key.revision);
        scans.retain(|(k, _)| *k != key);
        scans.push((key, scan.clone()));
        if scans.len() > SCANS {
            scans.remove(0);
        }
        Ok(scan)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn touch_moves_an_entry_to_the_most_recent_end() {
        let mut list = vec![1, 2, 3];
        assert_eq!(touch(&mut list, 0), 1);
        assert_eq!(list, [2, 3, 1]);
    }
}
