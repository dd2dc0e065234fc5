//! Group commit for SQLite: writes that arrive while another group is being written are
//! committed together, each in a savepoint of its own.
//!
//! SQLite has one writer, and every commit writes each page it touched to the WAL. A story
//! touches the same pages as the story before it (the newest leaf of `stories`, of its
//! indexes, of `answers` and `data_changes`) and makes the full-text index flush a segment
//! of its own, so one transaction per story writes most pages many times over. In a group
//! those pages are written once. A savepoint per write keeps the rule that a write that fails
//! changes nothing, and leaves the other writes of its group alone.
//!
//! How a group forms: [`super::Database::write`] queues its write and starts a blocking task
//! that waits for the writer lock. Whoever gets the lock takes everything queued (up to
//! [`MAX_GROUP`]) and writes it; a task that finds the queue empty has had its write done by
//! another. Nothing waits on purpose: a lone write is committed at once.

use super::{AnyConnection, StoreError, StoreResult};
use diesel::Connection;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use tokio::sync::oneshot;

/// Writes per group at most, so that a group holds the writer lock only briefly.
pub const MAX_GROUP: usize = 64;

/// A write waiting in the queue.
pub(super) trait Job: Send {
    /// Makes the write in its own savepoint. Its outcome is reported once the group's commit
    /// is known: a write that succeeded did not happen if the commit failed.
    fn run(self: Box<Self>, conn: &mut AnyConnection) -> Box<dyn Ran>;
    /// The group could not begin: nothing was written.
    fn refuse(self: Box<Self>, why: &StoreError);
}

/// A write that was made, waiting for the group's commit.
pub(super) trait Ran: Send {
    /// `failed`: why the group was not committed, if it was not.
    fn report(self: Box<Self>, failed: Option<&StoreError>);
}

struct Write<T, F> {
    write: F,
    done: oneshot::Sender<StoreResult<T>>,
}

struct Outcome<T> {
    outcome: StoreResult<T>,
    done: oneshot::Sender<StoreResult<T>>,
}

impl<T, F> Job for Write<T, F>
where
    T: Send + 'static,
    F: FnOnce(&mut AnyConnection) -> StoreResult<T> + Send + 'static,
{
    fn run(self: Box<Self>, conn: &mut AnyConnection) -> Box<dyn Ran> {
        let Write { write, done } = *self;
        // Inside the group's transaction diesel makes this a savepoint: an error rolls back
        // this write only.
        let outcome = conn.transaction(write);
        Box::new(Outcome { outcome, done })
    }

    fn refuse(self: Box<Self>, why: &StoreError) {
        // The caller may have stopped waiting; then nobody needs to know.
        let _ = self.done.send(Err(StoreError::Group(why.to_string())));
    }
}

impl<T: Send> Ran for Outcome<T> {
    fn report(self: Box<Self>, failed: Option<&StoreError>) {
        let result = match (self.outcome, failed) {
            (Ok(_), Some(why)) => Err(StoreError::Group(why.to_string())),
            (outcome, _) => outcome,
        };
        let _ = self.done.send(result);
    }
}

/// A write for the queue and where its outcome will arrive.
pub(super) fn job<T, F>(write: F) -> (Box<dyn Job>, oneshot::Receiver<StoreResult<T>>)
where
    T: Send + 'static,
    F: FnOnce(&mut AnyConnection) -> StoreResult<T> + Send + 'static,
{
    let (done, outcome) = oneshot::channel();
    (Box::new(Write { write, done }), outcome)
}

/// The writes waiting for the next group.
#[derive(Default)]
pub(super) struct Queue {
    jobs: Mutex<Vec<Box<dyn Job>>>,
    /// Groups written so far (for tests: writes that arrive together are grouped).
    groups: AtomicUsize,
}

impl Queue {
    fn jobs(&self) -> std::sync::MutexGuard<'_, Vec<Box<dyn Job>>> {
        // A poisoned lock only means a thread panicked while pushing or taking.
        self.jobs.lock().unwrap_or_else(|e| e.into_inner())
    }

    #[cfg(test)]
    pub(super) fn groups(&self) -> usize {
        self.groups.load(Ordering::Relaxed)
    }

    pub(super) fn is_empty(&self) -> bool {
        self.jobs().is_empty()
    }

    pub(super) fn push(&self, job: Box<dyn Job>) {
        self.jobs().push(job);
    }

    /// The next group, oldest first.
    fn take(&self) -> Vec<Box<dyn Job>> {
        let mut jobs = self.jobs();
        let n = jobs.len().min(MAX_GROUP);
        jobs.drain(..n).collect()
    }
}

/// Writes the next group (call with the writer lock held): one transaction, one savepoint per
/// write, every outcome reported after the commit. Returns the size of the group.
pub(super) fn write_group(
    queue: &Queue,
    conn: StoreResult<&mut AnyConnection>,
    begin: impl FnOnce(&mut AnyConnection) -> StoreResult<()>,
) -> usize {
    let jobs = queue.take();
    let size = jobs.len();
    if size == 0 {
        return 0;
    }
    queue.groups.fetch_add(1, Ordering::Relaxed);
    let conn = match conn {
        Ok(conn) => conn,
        Err(why) => {
            jobs.into_iter().for_each(|job| job.refuse(&why));
            return size;
        }
    };
    let mut waiting = Some(jobs);
    let mut ran: Vec<Box<dyn Ran>> = Vec::with_capacity(size);
    let committed = conn.transaction(|conn| {
        begin(conn)?;
        for job in waiting.take().unwrap_or_default() {
            ran.push(job.run(conn));
        }
        Ok::<_, StoreError>(())
    });
    let failed = committed.err();
    if let (Some(jobs), Some(why)) = (waiting, failed.as_ref()) {
        jobs.into_iter().for_each(|job| job.refuse(why));
    }
    for write in ran {
        write.report(failed.as_ref());
    }
    size
}

#[cfg(test)]
mod tests {
    use crate::store::schema::app_settings;
    use crate::store::{Database, DatabaseUrl, StoreError};
    use diesel::prelude::*;

    /// Forty writes at once, every fifth of them a name that another write of the group has
    /// taken: each write fails or succeeds on its own, and what succeeded is stored.
    #[test]
    fn writes_that_arrive_together_fail_and_succeed_alone() {
        let dir = tempfile::tempdir().unwrap();
        let db = Database::open(&DatabaseUrl::Sqlite(dir.path().join("g.db")), 4).unwrap();
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let names: Vec<String> = (0..40)
            .map(|i| {
                if i % 5 == 0 {
                    "dubbel".to_string()
                } else {
                    format!("naam-{i}")
                }
            })
            .collect();
        let results: Vec<Result<usize, StoreError>> = runtime.block_on(async {
            let writes: Vec<_> = names
                .iter()
                .map(|name| {
                    let (db, name) = (db.clone(), name.clone());
                    tokio::spawn(async move {
                        db.write(move |conn| {
                            Ok(diesel::insert_into(app_settings::table)
                                .values((app_settings::name.eq(name), app_settings::value.eq("x")))
                                .execute(conn)?)
                        })
                        .await
                    })
                })
                .collect();
            let mut results = Vec::new();
            for write in writes {
                results.push(write.await.unwrap());
            }
            results
        });
        let (mut stored, mut refused) = (Vec::new(), 0);
        for (name, result) in names.iter().zip(&results) {
            match result {
                Ok(1) => stored.push(name.clone()),
                Err(e) if e.is_unique_violation() => refused += 1,
                other => panic!("{name}: {other:?}"),
            }
        }
        assert_eq!(refused, 7, "eight writes of one name: one stored");
        let mut conn = db.conn().unwrap();
        let mut present: Vec<String> = app_settings::table
            .select(app_settings::name)
            .filter(app_settings::value.eq("x"))
            .load(&mut conn)
            .unwrap();
        present.sort();
        stored.sort();
        assert_eq!(present, stored);
        let groups = db.sqlite_queue.as_ref().unwrap().groups();
        assert!(
            groups < 40,
            "writes that arrived together shared a group: {groups}"
        );
    }
}
