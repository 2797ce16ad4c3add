//! [`BatchProgress`]: what a batch write has done so far, kept in a handle
//! the caller shares with the batch, so it outlives a batch that was dropped
//! (cancelled by a timeout, a `select!`, a shutdown) halfway.

use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

/// Where each write of a batch stands, by index (the order the writes were
/// added in), updated as the answers arrive. Attach it with
/// [`SliceBatch::progress`](super::SliceBatch::progress) or
/// [`BatchWrite::progress`](super::BatchWrite::progress); clones share the
/// same record.
///
/// * **done**: DynamoDB answered a request holding the write and did not
///   return it as unprocessed, so it is stored (or deleted).
/// * **in flight**: sent, with no answer that says whether it was written:
///   its request was under way when the batch was dropped (or when you look),
///   or its answer was lost or a server error. It may or may not be stored.
/// * **not done** (neither): never sent, refused, or returned unprocessed,
///   and never in an unclear request: not written by this batch.
///
/// So at any moment, and after the batch future is dropped,
/// `done ⊆ written ⊆ done ∪ in flight`. To resume, build the same batch (the
/// same writes in the same order) and attach the same handle: writes recorded
/// done are skipped, the others (in flight ones included: puts and deletes
/// can be repeated) are sent again.
///
/// ```no_run
/// # use dynamodel::{Db, Model};
/// use dynamodel::ops::BatchProgress;
/// # #[derive(Model, Debug, Clone, PartialEq)]
/// # #[dynamodel(table = "users")]
/// # struct User { #[dynamodel(hash_key)] id: String }
/// # async fn demo(db: Db, users: Vec<User>) -> dynamodel::Result<()> {
/// let progress = BatchProgress::new();
/// let batch = db.batch_put(&users).progress(&progress);
/// if tokio::time::timeout(std::time::Duration::from_secs(1), batch).await.is_err() {
///     println!("{} of {} written so far", progress.done_count(), progress.total());
///     // Later: only what is not done yet is sent.
///     db.batch_put(&users).progress(&progress).await?;
/// }
/// assert!(progress.is_complete());
/// # Ok(()) }
/// ```
#[derive(Clone, Default)]
pub struct BatchProgress {
    state: Arc<Mutex<Vec<Stage>>>,
}

/// One write's record.
#[derive(Clone, Copy, Default)]
struct Stage {
    done: bool,
    /// In a request now under way.
    sending: bool,
    /// Was in a request whose answer did not tell whether it was written.
    unclear: bool,
}

impl Stage {
    fn in_flight(self) -> bool {
        !self.done && (self.sending || self.unclear)
    }
}

impl fmt::Debug for BatchProgress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = self.lock();
        f.debug_struct("BatchProgress")
            .field("total", &state.len())
            .field("done", &state.iter().filter(|s| s.done).count())
            .field("in_flight", &state.iter().filter(|s| s.in_flight()).count())
            .finish()
    }
}

impl BatchProgress {
    /// A fresh record, sized by the first batch it is attached to.
    pub fn new() -> Self {
        BatchProgress::default()
    }

    fn lock(&self) -> MutexGuard<'_, Vec<Stage>> {
        // No code panics while holding the lock; if some did, the flags are
        // still each valid.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn indices(&self, keep: impl Fn(Stage) -> bool) -> Vec<usize> {
        let state = self.lock();
        (0..state.len()).filter(|&i| keep(state[i])).collect()
    }

    /// The number of writes of the batch (0 before it was first sent).
    pub fn total(&self) -> usize {
        self.lock().len()
    }

    /// How many writes are done.
    pub fn done_count(&self) -> usize {
        self.lock().iter().filter(|s| s.done).count()
    }

    /// Whether every write is done (also true of a record not yet sent with
    /// a batch: it has no writes).
    pub fn is_complete(&self) -> bool {
        self.lock().iter().all(|s| s.done)
    }

    /// Whether write `index` is done.
    pub fn is_done(&self, index: usize) -> bool {
        self.lock().get(index).is_some_and(|s| s.done)
    }

    /// The indices of the writes done, ascending.
    pub fn done(&self) -> Vec<usize> {
        self.indices(|s| s.done)
    }

    /// The indices of the writes in flight (maybe written), ascending.
    pub fn in_flight(&self) -> Vec<usize> {
        self.indices(Stage::in_flight)
    }

    /// The indices of the writes not done (in flight ones included),
    /// ascending: what a resumed batch sends.
    pub fn not_done(&self) -> Vec<usize> {
        self.indices(|s| !s.done)
    }

    /// Sizes a fresh record for `total` writes; a used one must have that
    /// size. `Err` holds the size it has.
    pub(super) fn attach(&self, total: usize) -> Result<(), usize> {
        let mut state = self.lock();
        if state.is_empty() {
            state.resize(total, Stage::default());
        }
        if state.len() == total {
            Ok(())
        } else {
            Err(state.len())
        }
    }

    fn update(&self, indices: &[usize], change: impl Fn(&mut Stage)) {
        let mut state = self.lock();
        for &index in indices {
            if let Some(stage) = state.get_mut(index) {
                change(stage);
            }
        }
    }

    /// `indices` are being sent.
    pub(super) fn sending(&self, indices: &[usize]) {
        self.update(indices, |s| s.sending = true);
    }

    /// DynamoDB answered the request of `sent`, leaving `unprocessed` (a
    /// subset) undone.
    pub(super) fn answered(&self, sent: &[usize], unprocessed: &[usize]) {
        self.update(sent, |s| {
            s.sending = false;
            s.done = true;
        });
        self.update(unprocessed, |s| s.done = false);
    }

    /// The request of `sent` failed; `refused`: DynamoDB answered that it did
    /// none of it, otherwise nobody knows.
    pub(super) fn failed(&self, sent: &[usize], refused: bool) {
        self.update(sent, |s| {
            s.sending = false;
            s.unclear |= !refused;
        });
    }
}

/// Why a batch of `total` writes cannot use a handle recording a batch of
/// `recorded` writes.
pub(super) fn size_error(model: &'static str, recorded: usize, total: usize) -> crate::Error {
    crate::Error::InvalidRequest {
        model,
        message: format!(
            "the progress handle records a batch of {recorded} writes, this one has {total}"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_record_follows_the_answers() {
        let progress = BatchProgress::new();
        assert_eq!((progress.total(), progress.is_complete()), (0, true));
        assert_eq!(progress.attach(6), Ok(()));
        assert_eq!(progress.attach(6), Ok(()), "the same batch again");
        assert_eq!(progress.attach(5), Err(6));
        assert!(!progress.is_complete());

        progress.sending(&[0, 1, 2]);
        progress.sending(&[3, 4, 5]);
        assert_eq!(progress.in_flight(), [0, 1, 2, 3, 4, 5]);
        // 1 comes back unprocessed: not written by this request.
        progress.answered(&[0, 1, 2], &[1]);
        assert_eq!(progress.done(), [0, 2]);
        assert_eq!(progress.in_flight(), [3, 4, 5]);
        // A lost answer: 3 and 4 may be written; a refusal: 5 is not.
        progress.failed(&[3, 4], false);
        progress.failed(&[5], true);
        assert_eq!(progress.in_flight(), [3, 4]);
        assert_eq!(progress.not_done(), [1, 3, 4, 5]);
        // Sent again and refused: 3 and 4 may still be written from before.
        progress.sending(&[1, 3, 4, 5]);
        progress.failed(&[1, 3, 4, 5], true);
        assert_eq!(progress.in_flight(), [3, 4]);
        // Sent again and answered: all done.
        progress.sending(&[1, 3, 4, 5]);
        progress.answered(&[1, 3, 4, 5], &[]);
        assert_eq!(progress.done(), [0, 1, 2, 3, 4, 5]);
        assert_eq!(progress.in_flight(), Vec::<usize>::new());
        assert_eq!(progress.done_count(), 6);
        assert!(progress.is_complete() && progress.is_done(5) && !progress.is_done(6));
        let clone = progress.clone();
        assert_eq!(clone.done_count(), 6, "clones share the record");
        assert_eq!(
            format!("{progress:?}"),
            "BatchProgress { total: 6, done: 6, in_flight: 0 }"
        );
    }
}
