//! The story browser: the stories behind the figures, with the same filters as the analysis
//! pages plus a search in title and text.
//!
//! A search must stay quick when a word is in half of a million stories. How each backend
//! does it (docs/architecture.md, "Full-text search"):
//! - A sample of the selection is tested first; when the words are in at least one in twenty
//!   stories, the count is an estimate from that sample (with its 95 % interval) and the page
//!   is found by testing the selection newest first. An exact count would cost the index
//!   itself 0.1–0.3 s for a word in every story of a million on SQLite (every term with the
//!   prefix is merged), and seconds on PostgreSQL, whose index gives back rows.
//! - Rarer words are counted exactly by the index, at a cost in proportion to the few
//!   stories they are in: on SQLite as the numbers of the matching stories (`row_key`), which
//!   the cached data maps to its stories; on PostgreSQL as ids.

use super::{AnalysisError, ProjectData, Selection};
use crate::analysis::descriptives::wilson_interval;
use crate::domain::accounts::ProjectAction;
use crate::domain::privacy::small_selection;
use crate::domain::search;
use crate::domain::Questionnaire;
use crate::service::accounts::SignedIn;
use crate::store::search_index::{self, Dialect};
use crate::store::stories::{self, Story};
use crate::store::{AnyConnection, Database, StoreResult};
use std::collections::HashSet;

/// Stories per page.
pub const PER_PAGE: usize = 20;

/// Stories tested for an estimate.
pub(crate) const SAMPLE: usize = 1_000;

/// From this share of the sample on, the count is an estimate (on both databases): below it
/// the words are in at most a few percent of the stories, which the index reads quickly.
pub(crate) const COMMON_SHARE: f64 = 0.05;

/// At most this many stories are tested to fill a page of an estimated search (page 100 of a
/// word in one of twenty stories); further pages are not offered.
pub(crate) const WALK_LIMIT: usize = 50_000;

/// Stories tested per statement while walking.
const WALK_CHUNK: usize = 250;

/// One page of the browser.
pub struct StoryPage {
    /// Each story with the questionnaire version it was told with.
    pub stories: Vec<(Story, Option<Questionnaire>)>,
    /// How many stories match in all (with `estimate`: the estimate).
    pub total: usize,
    /// Set when `total` is estimated from a sample (see the module documentation).
    pub estimate: Option<Estimate>,
    pub page: usize,
    /// The number of pages; with an estimate, the pages known to have stories (this one, and
    /// the next when there is one).
    pub pages: usize,
    /// The stems searched for (empty without a search).
    pub terms: Vec<String>,
    /// Set to the project's k when fewer than k stories match and the reader may not moderate:
    /// the stories are then not shown (small-cell protection, docs/privacy.md).
    pub protected_below: Option<u32>,
}

/// A count estimated from a sample: the 95 % interval (Wilson) scaled to the selection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Estimate {
    pub low: usize,
    pub high: usize,
    pub sample: usize,
}

/// What the search found among the selected stories (ids newest first).
enum Found<'a> {
    /// Every matching story.
    All(Vec<&'a str>),
    /// The matches up to and including the page asked for (and one more, when there is one),
    /// with an estimate of the total.
    Leading {
        ids: Vec<&'a str>,
        estimate: Estimate,
        total: usize,
    },
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
    let k = data.project.settings.privacy.k();
    let may_see_small = by.access.can(slug, ProjectAction::Moderate);
    let terms = search::terms(search_text);
    if !terms.is_empty() {
        search_index::catch_up(db)?;
    }
    let mut conn = db.conn()?;
    let found = if terms.is_empty() {
        Found::All(data.story_ids(selection))
    } else {
        search(&mut conn, data, selection, &terms, page, |e| {
            // An estimate near 0 or near everything might hide a group below k: count it.
            may_see_small
                || small_selection(e.low, data.stories.len(), k).is_none()
                    && small_selection(e.high, data.stories.len(), k).is_none()
        })?
    };
    let (ids, total, estimate) = match found {
        Found::All(ids) => {
            let total = ids.len();
            (ids, total, None)
        }
        Found::Leading {
            ids,
            estimate,
            total,
        } => (ids, total, Some(estimate)),
    };
    if estimate.is_none()
        && !may_see_small
        && small_selection(total, data.stories.len(), k).is_some()
    {
        return Ok(StoryPage {
            stories: Vec::new(),
            total,
            estimate: None,
            page: 1,
            pages: 1,
            terms,
            protected_below: Some(k),
        });
    }
    let (page, pages) = match estimate {
        None => {
            let pages = total.div_ceil(PER_PAGE).max(1);
            (page.clamp(1, pages), pages)
        }
        // The walk stopped after this page's stories and one more, if there was one.
        Some(_) => {
            let known = ids.len().div_ceil(PER_PAGE).max(1);
            let page = page.clamp(1, known);
            (page, known.min(page + 1))
        }
    };
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
        estimate,
        page,
        pages,
        terms,
        protected_below: None,
    })
}

/// The selected stories (`selected`, newest first) with every one of `terms`. `estimate_ok`
/// says whether an estimate may stand (else the count is made exactly).
fn search<'a>(
    conn: &mut AnyConnection,
    data: &'a ProjectData,
    selection: &Selection,
    terms: &[String],
    page: usize,
    estimate_ok: impl Fn(&Estimate) -> bool,
) -> StoreResult<Found<'a>> {
    let slug = data.project.slug.as_str();
    let selected = data.story_ids(selection);
    if selected.len() > 2 * SAMPLE {
        let sample = sample_of(&selected, SAMPLE);
        let hits = search_index::which_match(conn, &sample, terms)?.len();
        if hits as f64 >= COMMON_SHARE * sample.len() as f64 {
            let (low, high) = wilson_interval(hits as u64, sample.len() as u64);
            let n = selected.len() as f64;
            let estimate = Estimate {
                low: (low * n).floor() as usize,
                high: (high * n).ceil() as usize,
                sample: sample.len(),
            };
            if estimate_ok(&estimate) {
                let total = (hits as f64 / sample.len() as f64 * n).round() as usize;
                let ids = walk(conn, &selected, terms, page.max(1) * PER_PAGE + 1)?;
                return Ok(Found::Leading {
                    ids,
                    estimate,
                    total,
                });
            }
        }
    }
    if Dialect::of(conn) == Dialect::Sqlite {
        let keys = search_index::matching_row_keys(conn, terms)?;
        let hit = by_row_keys(&data.stories, |s| s.row_key, &keys);
        return Ok(Found::All(newest_first(data, selection, |i| hit[i])));
    }
    let found: HashSet<String> = stories::ids_containing(conn, slug, terms)?;
    Ok(Found::All(
        selected
            .into_iter()
            .filter(|id| found.contains(*id))
            .collect(),
    ))
}

/// Which of `stories` have their row key (`row_key` of each) among `keys` (which may hold
/// other projects' keys).
pub(crate) fn by_row_keys<T>(
    stories: &[T],
    row_key: impl Fn(&T) -> i64,
    keys: &[i64],
) -> Vec<bool> {
    let n = stories.len();
    let (Some(min), Some(max)) = (
        stories.iter().map(&row_key).min(),
        stories.iter().map(&row_key).max(),
    ) else {
        return Vec::new();
    };
    // Which of the project's stories match, through a table from row key to position: dense
    // when the project's keys lie close together (as rowids of one project mostly do), else
    // sorted for a binary search.
    let mut hit = vec![false; n];
    let span = usize::try_from(max - min).unwrap_or(usize::MAX);
    if span <= 4 * n + 1024 {
        let mut at = vec![u32::MAX; span + 1];
        for (i, s) in stories.iter().enumerate() {
            at[(row_key(s) - min) as usize] = i as u32;
        }
        for key in keys.iter().filter(|k| (min..=max).contains(*k)) {
            let i = at[(key - min) as usize];
            if i != u32::MAX {
                hit[i as usize] = true;
            }
        }
    } else {
        let mut sorted: Vec<(i64, u32)> = stories
            .iter()
            .enumerate()
            .map(|(i, s)| (row_key(s), i as u32))
            .collect();
        sorted.sort_unstable();
        for key in keys {
            if let Ok(j) = sorted.binary_search_by_key(key, |&(k, _)| k) {
                hit[sorted[j].1 as usize] = true;
            }
        }
    }
    hit
}

/// The ids of the selected stories for which `matches(position)` holds, newest first.
fn newest_first<'a>(
    data: &'a ProjectData,
    selection: &Selection,
    matches: impl Fn(usize) -> bool,
) -> Vec<&'a str> {
    data.stories
        .iter()
        .zip(&selection.keep)
        .enumerate()
        .rev()
        .filter(|&(i, (_, keep))| *keep && matches(i))
        .map(|(_, (s, _))| s.id.as_str())
        .collect()
}

/// A simple random sample of `size` of `ids` (all of them when there are no more), in their
/// order. The generator is seeded with the number of ids, so a selection gives the same
/// sample, and the same estimate, on every reload. Random, not every n-th: stories told in a
/// rhythm (a class each Monday) would make every n-th a biased sample.
pub(crate) fn sample_of<'a>(ids: &[&'a str], size: usize) -> Vec<&'a str> {
    sample_positions(ids.len(), size)
        .into_iter()
        .map(|i| ids[i])
        .collect()
}

/// The positions [`sample_of`] picks out of `n`, in order.
pub(crate) fn sample_positions(n: usize, size: usize) -> Vec<usize> {
    use rand::{rngs::StdRng, SeedableRng};
    if n <= size {
        return (0..n).collect();
    }
    let mut rng = StdRng::seed_from_u64(n as u64);
    let mut picked = rand::seq::index::sample(&mut rng, n, size).into_vec();
    picked.sort_unstable();
    picked
}

/// The first `wanted` of `selected` (newest first) with every one of `terms`, testing at most
/// [`WALK_LIMIT`] stories.
pub(crate) fn walk<'a>(
    conn: &mut AnyConnection,
    selected: &[&'a str],
    terms: &[String],
    wanted: usize,
) -> StoreResult<Vec<&'a str>> {
    let mut found = Vec::new();
    for chunk in selected[..selected.len().min(WALK_LIMIT)].chunks(WALK_CHUNK) {
        let hits: HashSet<String> = search_index::which_match(conn, chunk, terms)?
            .into_iter()
            .collect();
        found.extend(chunk.iter().filter(|id| hits.contains(**id)));
        if found.len() >= wanted {
            found.truncate(wanted);
            break;
        }
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::super::StoryMeta;
    use super::*;

    fn meta(id: &str, row_key: i64) -> StoryMeta {
        StoryMeta {
            id: id.into(),
            created_at: 0,
            version: 1,
            complete: true,
            quotes_allowed: false,
            row_key,
        }
    }

    #[test]
    fn row_keys_find_their_stories_whether_close_together_or_spread() {
        for spread in [1, 1_000_000] {
            let stories: Vec<StoryMeta> = ["a", "b", "c", "d"]
                .iter()
                .enumerate()
                .map(|(i, id)| meta(id, 10 * (i as i64 + 1) * spread))
                .collect();
            // Keys of other projects around and between.
            let keys = [0, 40 * spread, 10 * spread, 15 * spread, i64::MAX];
            assert_eq!(
                by_row_keys(&stories, |s| s.row_key, &keys),
                [true, false, false, true],
                "spread {spread}"
            );
        }
        assert!(by_row_keys::<StoryMeta>(&[], |s| s.row_key, &[1]).is_empty());
    }

    #[test]
    fn a_sample_is_random_in_order_and_the_same_every_time() {
        let ids: Vec<String> = (0..100).map(|i| format!("{i:03}")).collect();
        let refs: Vec<&str> = ids.iter().map(String::as_str).collect();
        let sample = sample_of(&refs, 10);
        assert_eq!(sample.len(), 10);
        assert!(sample.windows(2).all(|w| w[0] < w[1]), "{sample:?}");
        assert_eq!(sample, sample_of(&refs, 10));
        // Not every tenth.
        assert_ne!(sample, (0..10).map(|i| refs[i * 10]).collect::<Vec<_>>());
        assert_eq!(sample_of(&refs[..5], 10), &refs[..5]);
    }
}
