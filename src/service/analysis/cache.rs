//! A project's analysable data is read once and then kept up to date from the change log.
//!
//! Every change to a project's stories or questionnaire appends to its change log in the
//! database (`store::changes`). Each request reads the log from where this instance stopped:
//! nothing new, and the data and the scans made of it are served from memory; a few changed
//! stories, and only those are read again; a change to the project itself (questionnaire,
//! settings), or more changes than a fresh read would cost, and the project is read anew. The
//! log lives in the database, so instances that share it never serve each other's stale
//! figures.
//!
//! One request per project does this at a time; the others wait for its result instead of
//! reading the same project again beside it, so ten begeleiders opening the dashboard after a
//! change cause one read, and memory holds one copy of the project (two while an update is
//! being made when an older copy is still in use). Both caches are small and drop the least
//! recently used entry first.

use super::{load_with_cursor, AnalysisError, ProjectData, StoryFilter};
use crate::analysis::{self, Scan, ScanSettings};
use crate::store::changes::{self, Change, Cursor};
use crate::store::{stories, Database};
use std::collections::BTreeSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

/// Projects whose data is kept in memory at once.
const PROJECTS: usize = 4;
/// Scans kept at once (different filters and settings).
const SCANS: usize = 32;
/// Beyond this share of a project's stories changed at once (an import), reading the project
/// anew is cheaper than following each change.
const FOLLOW_AT_MOST: f64 = 0.2;

/// A scan is the same when the data's state, the filter and the settings are.
#[derive(Debug, Clone, PartialEq)]
struct ScanKey {
    slug: String,
    revision: i64,
    filter: String,
    settings: String,
}

/// One project's cached data and where its change log was read up to.
struct Kept {
    data: Arc<ProjectData>,
    cursor: Cursor,
}

/// A project's place in the cache; its lock is held while the data is read or brought up to
/// date, which makes the others wait for that one read.
struct Slot {
    slug: String,
    kept: Mutex<Option<Kept>>,
}

#[derive(Default)]
pub struct AnalysisCache {
    projects: Mutex<Vec<Arc<Slot>>>,
    scans: Mutex<Vec<(ScanKey, Arc<Scan>)>>,
    /// Projects read in full, and updates that took changed stories in (for tests and
    /// measurements: what a change cost).
    full_reads: AtomicUsize,
    follows: AtomicUsize,
}

/// A poisoned lock only means another request panicked while holding it; the lists are still
/// valid (each change is a single push or remove, and a slot's data is replaced whole), so go
/// on with them.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Moves the entry at `index` to the end (most recently used) and returns it.
pub(crate) fn touch<T: Clone>(list: &mut Vec<T>, index: usize) -> T {
    let entry = list.remove(index);
    list.push(entry.clone());
    entry
}

impl AnalysisCache {
    pub fn new() -> Self {
        Self::default()
    }

    fn slot(&self, slug: &str) -> Arc<Slot> {
        let mut slots = lock(&self.projects);
        if let Some(i) = slots.iter().position(|s| s.slug == slug) {
            return touch(&mut slots, i);
        }
        let slot = Arc::new(Slot {
            slug: slug.to_string(),
            kept: Mutex::new(None),
        });
        slots.push(slot.clone());
        if slots.len() > PROJECTS {
            slots.remove(0);
        }
        slot
    }

    /// The project's analysable data as it is now in the database.
    pub fn project(&self, db: &Database, slug: &str) -> Result<Arc<ProjectData>, AnalysisError> {
        let slot = self.slot(slug);
        let mut kept = lock(&slot.kept);
        if let Some(current) = kept.as_mut() {
            match bring_up_to_date(db, slug, current) {
                Ok(Some(followed)) => {
                    if followed {
                        self.follows.fetch_add(1, Ordering::Relaxed);
                    }
                    return Ok(current.data.clone());
                }
                Ok(None) => {}
                // The copy may be half updated: read anew (which reports a database that is
                // down).
                Err(e) => tracing::warn!(project = slug, error = %e, "reading the project anew"),
            }
        }
        // Let go of the old copy before reading the new one, so that memory holds one.
        *kept = None;
        let (data, cursor) = load_with_cursor(db, slug)?;
        self.full_reads.fetch_add(1, Ordering::Relaxed);
        let data = Arc::new(data);
        *kept = Some(Kept {
            data: data.clone(),
            cursor,
        });
        Ok(data)
    }

    /// How often a project was read in full, and how often changed stories were taken in.
    pub fn reads(&self) -> (usize, usize) {
        (
            self.full_reads.load(Ordering::Relaxed),
            self.follows.load(Ordering::Relaxed),
        )
    }

    /// The scan of `data` narrowed by `filter`, computed once per state, filter and settings.
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
        // Scans of an older state of this project will never be asked for again.
        scans.retain(|(k, _)| k.slug != key.slug || k.revision == key.revision);
        scans.retain(|(k, _)| *k != key);
        scans.push((key, scan.clone()));
        if scans.len() > SCANS {
            scans.remove(0);
        }
        Ok(scan)
    }
}

/// Reads the change log after `kept` and takes the changed stories in: `Some(true)` when there
/// were any, `Some(false)` when nothing changed. `None`: read the project anew instead (the
/// project itself changed, or too much did).
fn bring_up_to_date(
    db: &Database,
    slug: &str,
    kept: &mut Kept,
) -> Result<Option<bool>, AnalysisError> {
    let mut conn = db.conn()?;
    let (log, cursor) = changes::since(&mut conn, slug, Some(&kept.cursor))?;
    if log.is_empty() {
        kept.cursor = cursor;
        return Ok(Some(false));
    }
    let mut ids = BTreeSet::new();
    for change in log {
        match change {
            Change::Project => return Ok(None),
            Change::Story(id) => {
                ids.insert(id);
            }
            // Reviewed or a signal handled: nothing the analysis reads.
            Change::Workflow(_) => {}
        }
    }
    if ids.is_empty() {
        kept.cursor = cursor;
        return Ok(Some(false));
    }
    if ids.len() as f64 > FOLLOW_AT_MOST * kept.data.stories.len().max(50) as f64 {
        return Ok(None);
    }
    let list: Vec<String> = ids.iter().cloned().collect();
    let now = stories::changed(&mut conn, slug, &list)?;
    let versions = stories::versions_map(&mut conn, slug)?;
    let tables: std::collections::HashMap<String, String> =
        crate::store::story_tables::story_table_names(&mut conn, slug)?
            .into_iter()
            .filter(|(id, _)| ids.contains(id))
            .collect();
    drop(conn);
    // Copied only when a page still uses the current copy.
    Arc::make_mut(&mut kept.data).follow(&ids, now, &versions, &tables)?;
    kept.cursor = cursor;
    Ok(Some(true))
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
