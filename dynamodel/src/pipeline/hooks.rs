//! The asynchronous hooks around a request ([`crate::Hooks`]): `after_save`,
//! `before_delete` / `after_delete`, `before_update` / `after_update`. Where
//! they run is documented in [`crate::pipeline`].
//!
//! Point operations call the functions here directly. Batches and
//! transactions hold writes of any models, so each write of a model with
//! hooks gets an [`ActionHooks`]: its hooks bound to what they need (the key,
//! the item written, the update's changes), type-erased. A model without
//! hooks gets none: nothing is copied, boxed or decoded for it.

use futures::future::BoxFuture;

use crate::settings::hooks::{decode_written, BoxError, UpdateChanges, UpdateInfo, UpdateReturn};
use crate::write_kind::{UpdateKind, WriteKind};
use crate::{Error, Item, Model, Result};

/// The [`Error::AfterHook`] of hook `hook` of model `M`.
fn after_error<M: Model>(hook: &'static str, index: Option<usize>, source: BoxError) -> Error {
    Error::AfterHook {
        model: M::MODEL_NAME,
        hook,
        index,
        further_failures: 0,
        source,
    }
}

/// Runs `after_save` on `item`, just written as a write of `kind`.
pub(crate) async fn after_save<M: Model>(
    item: Item,
    kind: WriteKind,
    index: Option<usize>,
) -> Result<()> {
    if !M::HAS_HOOKS {
        return Ok(());
    }
    // The item was written: even a failure to decode it is reported as the
    // hook's, so the caller knows the write happened.
    let written = decode_written::<M>(item)
        .map_err(|err| after_error::<M>("after_save", index, Box::new(err)))?;
    let outcome = match written.after_save_hook(kind) {
        Some(hook) => hook
            .await
            .map_err(|source| after_error::<M>("after_save", index, source)),
        None => Ok(()),
    };
    outcome
}

/// Runs `before_delete` for the item under `key`.
pub(crate) async fn before_delete<M: Model>(key: &M::Key) -> Result<()> {
    match M::before_delete_hook(key) {
        Some(hook) => hook
            .await
            .map_err(|source| super::hook_error::<M>("before_delete", source)),
        None => Ok(()),
    }
}

/// Runs `after_delete` for the item under `key`, `deleted` as it was stored.
pub(crate) async fn after_delete<M: Model>(
    key: &M::Key,
    deleted: Option<&M>,
    index: Option<usize>,
) -> Result<()> {
    match M::after_delete_hook(key, deleted) {
        Some(hook) => hook
            .await
            .map_err(|source| after_error::<M>("after_delete", index, source)),
        None => Ok(()),
    }
}

/// Runs `before_update` for `update`.
pub(crate) async fn before_update<M: Model>(update: &UpdateInfo<'_, M>) -> Result<()> {
    match M::before_update_hook(update) {
        Some(hook) => hook
            .await
            .map_err(|source| super::hook_error::<M>("before_update", source)),
        None => Ok(()),
    }
}

/// Runs `after_update` for `update`, which returned `returned`.
pub(crate) async fn after_update<M: Model>(
    update: &UpdateInfo<'_, M>,
    returned: UpdateReturn<'_, M>,
    index: Option<usize>,
) -> Result<()> {
    match M::after_update_hook(update, returned) {
        Some(hook) => hook
            .await
            .map_err(|source| after_error::<M>("after_update", index, source)),
        None => Ok(()),
    }
}

/// One hook call bound to what it needs, run later.
type Deferred = Box<dyn FnOnce() -> BoxFuture<'static, Result<()>> + Send + Sync>;

/// The hooks of one write of a batch or a transaction, type-erased.
pub(crate) struct ActionHooks {
    /// The write's position in the call.
    index: usize,
    before: Option<Deferred>,
    after: Option<Deferred>,
}

impl ActionHooks {
    /// The `after_save` of `item`, written by write `index` as `kind`; `None`
    /// for a model without hooks.
    pub(crate) fn save<M: Model>(index: usize, item: &Item, kind: WriteKind) -> Option<Self> {
        if !M::HAS_HOOKS {
            return None;
        }
        let item = item.clone();
        Some(ActionHooks {
            index,
            before: None,
            after: Some(Box::new(move || {
                Box::pin(after_save::<M>(item, kind, Some(index)))
            })),
        })
    }

    /// The `before_delete` and `after_delete` of write `index`, a delete of
    /// the item under `key`; `None` for a model without hooks.
    pub(crate) fn delete<M: Model>(index: usize, key: &M::Key) -> Option<Self> {
        if !M::HAS_HOOKS {
            return None;
        }
        let (before_key, after_key) = (key.clone(), key.clone());
        Some(ActionHooks {
            index,
            before: Some(Box::new(move || {
                Box::pin(async move { before_delete::<M>(&before_key).await })
            })),
            after: Some(Box::new(move || {
                Box::pin(async move { after_delete::<M>(&after_key, None, Some(index)).await })
            })),
        })
    }

    /// The `before_update` and `after_update` of write `index`, an update of
    /// kind `kind` under `key` making `changes`; `None` for a model without
    /// hooks.
    pub(crate) fn update<M: Model>(
        index: usize,
        key: &M::Key,
        kind: UpdateKind,
        changes: UpdateChanges,
    ) -> Option<Self> {
        if !M::HAS_HOOKS {
            return None;
        }
        let before = (key.clone(), changes.clone());
        let after = (key.clone(), changes);
        Some(ActionHooks {
            index,
            before: Some(Box::new(move || {
                Box::pin(async move {
                    let (key, changes) = before;
                    before_update::<M>(&UpdateInfo::new(&key, kind, &changes)).await
                })
            })),
            after: Some(Box::new(move || {
                Box::pin(async move {
                    let (key, changes) = after;
                    let info = UpdateInfo::new(&key, kind, &changes);
                    after_update::<M>(&info, UpdateReturn::Nothing, Some(index)).await
                })
            })),
        })
    }

    /// The write's position in the call.
    pub(crate) fn index(&self) -> usize {
        self.index
    }
}

/// Awaits the `before_*` hook of every write in `hooks`, in order; the first
/// failure stops there and is reported as [`Error::Item`] of `operation`.
pub(crate) async fn run_before(operation: &'static str, hooks: &mut [ActionHooks]) -> Result<()> {
    for action in hooks.iter_mut() {
        if let Some(before) = action.before.take() {
            before().await.map_err(|source| Error::Item {
                operation,
                index: action.index,
                source: Box::new(source),
            })?;
        }
    }
    Ok(())
}

/// Awaits the `after_*` hook of every write in `hooks` that `done` says was
/// carried out, in order, each even when an earlier one failed; reports the
/// first failure with the count of the others.
pub(crate) async fn run_after(hooks: Vec<ActionHooks>, done: impl Fn(usize) -> bool) -> Result<()> {
    let mut failures = AfterFailures::default();
    for action in hooks {
        let Some(after) = action.after.filter(|_| done(action.index)) else {
            continue;
        };
        failures.record(after().await);
    }
    failures.into_result()
}

/// The `after_*` hook failures of one call, gathered from any number of
/// [`run_after`] runs (a streamed batch runs one per request): the failure
/// of the earliest write is reported, the others counted in its
/// `further_failures`.
#[derive(Default)]
pub(crate) struct AfterFailures {
    first: Option<Error>,
    further: usize,
}

impl AfterFailures {
    /// Adds the outcome of one hook, or of one [`run_after`] (whose error
    /// already counts the failures after its first).
    pub(crate) fn record(&mut self, outcome: Result<()>) {
        let Err(err) = outcome else {
            return;
        };
        let (index, counted) = match &err {
            Error::AfterHook {
                index,
                further_failures,
                ..
            } => (*index, *further_failures),
            _ => (None, 0),
        };
        let earlier = |first: &Error| match (first, index) {
            (
                Error::AfterHook {
                    index: Some(first), ..
                },
                Some(index),
            ) => index < *first,
            _ => false,
        };
        match &self.first {
            None => {
                self.first = Some(err);
                self.further += counted;
            }
            Some(first) if earlier(first) => {
                self.first = Some(err);
                self.further += 1 + counted;
            }
            Some(_) => self.further += 1 + counted,
        }
    }

    /// `Ok` when no hook failed; else the first failure, with the count of
    /// the others.
    pub(crate) fn into_result(self) -> Result<()> {
        match self.first {
            None => Ok(()),
            Some(Error::AfterHook {
                model,
                hook,
                index,
                source,
                ..
            }) => Err(Error::AfterHook {
                model,
                hook,
                index,
                further_failures: self.further,
                source,
            }),
            Some(other) => Err(other),
        }
    }
}

/// What a batch left incomplete does with its `after_*` hooks' outcome:
/// the incomplete batch is the error to return (it lists what to resend),
/// so a hook's failure is logged, by model, hook and position only.
pub(crate) fn log_after_failure(operation: &'static str, after: Result<()>) {
    if let Err(Error::AfterHook {
        model, hook, index, ..
    }) = after
    {
        tracing::warn!(
            operation,
            model,
            hook,
            index,
            "an after hook failed on a batch that is also incomplete"
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn failed(index: Option<usize>, further_failures: usize) -> Result<()> {
        Err(Error::AfterHook {
            model: "Probe",
            hook: "after_save",
            index,
            further_failures,
            source: "refused".into(),
        })
    }

    /// The reported failure's index and count of others.
    fn reported(failures: AfterFailures) -> Option<(Option<usize>, usize)> {
        match failures.into_result() {
            Ok(()) => None,
            Err(Error::AfterHook {
                index,
                further_failures,
                ..
            }) => Some((index, further_failures)),
            Err(other) => panic!("{other:?}"),
        }
    }

    fn gathered(outcomes: impl IntoIterator<Item = Result<()>>) -> AfterFailures {
        let mut failures = AfterFailures::default();
        for outcome in outcomes {
            failures.record(outcome);
        }
        failures
    }

    #[test]
    fn no_failure_is_ok() {
        assert_eq!(reported(gathered([])), None);
        assert_eq!(reported(gathered([Ok(()), Ok(())])), None);
    }

    #[test]
    fn one_run_keeps_its_own_count() {
        assert_eq!(
            reported(gathered([Ok(()), failed(Some(3), 2)])),
            Some((Some(3), 2))
        );
    }

    #[test]
    fn the_earliest_write_is_reported_and_every_other_failure_counted() {
        // Requests finish in any order: a later one may hold earlier writes.
        let outcomes = [
            failed(Some(40), 1),
            Ok(()),
            failed(Some(5), 2),
            failed(Some(60), 0),
        ];
        assert_eq!(reported(gathered(outcomes)), Some((Some(5), 5)));
        let outcomes = [failed(Some(5), 0), failed(Some(40), 3)];
        assert_eq!(reported(gathered(outcomes)), Some((Some(5), 4)));
        // Same position: the first recorded stays.
        let outcomes = [failed(Some(5), 0), failed(Some(5), 0)];
        assert_eq!(reported(gathered(outcomes)), Some((Some(5), 1)));
    }

    #[test]
    fn a_failure_without_a_position_is_counted_and_never_replaces_one() {
        let outcomes = [failed(Some(9), 0), failed(None, 0)];
        assert_eq!(reported(gathered(outcomes)), Some((Some(9), 1)));
        let outcomes = [failed(None, 0), failed(Some(9), 0)];
        assert_eq!(reported(gathered(outcomes)), Some((None, 1)));
    }

    #[test]
    fn another_error_is_returned_as_it_is() {
        let other = Error::InvalidRequest {
            model: "Probe",
            message: "m".to_owned(),
        };
        let mut failures = AfterFailures::default();
        failures.record(Err(other));
        failures.record(failed(Some(1), 0));
        assert!(matches!(
            failures.into_result(),
            Err(Error::InvalidRequest { .. })
        ));
    }
}
