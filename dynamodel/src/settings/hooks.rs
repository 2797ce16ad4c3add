//! `#[dynamodel(hooks)]`: code run around reads and writes of a model.
//!
//! Where each hook runs in the pipelines is documented in [`crate::pipeline`].
//! A model without `#[dynamodel(hooks)]` pays nothing: its generated
//! [`crate::Model`] methods return no hook to run, so no future is boxed and
//! no item is copied or decoded for a hook.

use std::fmt;

use async_trait::async_trait;
use futures::future::BoxFuture;

use crate::expr::{SetValue, UpdateAction};
use crate::write_kind::{UpdateKind, WriteKind};
use crate::{Item, Model};

/// An error a hook or a custom function may return.
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// The future of one asynchronous hook call (what an `async fn` of [`Hooks`]
/// returns once `#[async_trait]` has boxed it).
pub type HookFuture<'a> = BoxFuture<'a, Result<(), BoxError>>;

/// Code run around reads and writes of a model.
///
/// Opt in with `#[dynamodel(hooks)]` on the struct and implement this trait;
/// every method defaults to doing nothing. Without the setting the derive
/// implements it empty (so implementing it by hand without the setting is a
/// compile error rather than hooks that silently never run).
///
/// The `async fn` hooks may await (call another service); implement them
/// under `#[dynamodel::async_trait]`:
///
/// ```
/// use dynamodel::pipeline::WriteKind;
/// use dynamodel::settings::{BoxError, Hooks};
/// use dynamodel::Model;
///
/// #[derive(Model, Clone)]
/// #[dynamodel(table = "users", hooks)]
/// struct User {
///     #[dynamodel(hash_key)]
///     id: String,
/// }
///
/// #[dynamodel::async_trait]
/// impl Hooks for User {
///     async fn after_save(&self, kind: WriteKind) -> Result<(), BoxError> {
///         // e.g. tell another service; `self` is the item as written.
///         let _ = kind;
///         Ok(())
///     }
/// }
/// ```
///
/// `before_save` and `after_load` stay synchronous: they are steps of the
/// whole-item pipelines, which also run where nothing can await (a builder
/// is prepared when it is made, a stream record is decoded in place).
///
/// # Errors
///
/// A `before_*` hook that returns `Err` stops the operation with
/// [`crate::Error::Hook`]: nothing is sent to DynamoDB (in a transaction
/// or a batch whose items are all prepared first, nothing of the whole
/// call; a batch prepared request by request stops there, below). An
/// `after_*` hook runs once
/// DynamoDB has carried out the write; its error is
/// [`crate::Error::AfterHook`] ([`crate::Error::is_after_hook`]): the write
/// DID happen, only the hook failed.
///
/// # Batches and transactions
///
/// Hooks run per item. A transaction, a [`crate::ops::batch::BatchWrite`]
/// and a slice batch asked to
/// [`prepare_all_first`](crate::ops::batch::SliceBatch::prepare_all_first)
/// await the `before_*` hooks of every item, in the order the items were
/// added, before the first request is sent; `Db::batch_put` and
/// `Db::batch_delete` otherwise prepare request by request (below). The
/// `after_*` hooks run once the response is in: for a transaction, after it
/// committed, for each action; for a batch, for each write DynamoDB carried
/// out, even when the batch as a whole is incomplete. A write DynamoDB left
/// unprocessed (see [`crate::error::BatchIncomplete`]) gets no `after_*`
/// hook, and writes re-sent with `BatchWrite::unprocessed` run no hooks at
/// all (they are sent exactly as prepared the first time).
///
/// `Db::batch_put` and `Db::batch_delete`
/// ([`crate::ops::batch::SliceBatch`], in bounded memory) and a batch fed
/// by an iterator or a stream (`Db::batch_put_iter` and friends,
/// [`crate::ops::batch::BatchStream`]) run the same hooks request by
/// request, as they read their input: each item's `before_*` hook before
/// that item's request is sent (a failure stops the input there; the
/// requests already sent are not undone), its `after_*` hook once that
/// request is done.
#[async_trait]
pub trait Hooks: Model {
    /// Runs first on every whole-item write (create, put, batch and
    /// transaction puts), on the copy about to be written, before defaults,
    /// transforms and validation; it may change the copy.
    fn before_save(&mut self, kind: WriteKind) -> Result<(), BoxError> {
        let _ = kind;
        Ok(())
    }

    /// Runs after DynamoDB wrote a whole item (create, put, each item of a
    /// batch put that was written, each put of a committed transaction).
    /// `self` is the item as written: defaults, transforms, timestamps and
    /// the bumped version included, decoded as a `get` would return it
    /// (`get` transforms applied; `after_load` is not run).
    async fn after_save(&self, kind: WriteKind) -> Result<(), BoxError> {
        let _ = kind;
        Ok(())
    }

    /// Runs before a delete (`delete`, `delete_item`, batch and transaction
    /// deletes) is sent, once the request passed every check, with the key
    /// of the item to delete (the stored item is not read for it).
    async fn before_delete(key: &Self::Key) -> Result<(), BoxError> {
        let _ = key;
        Ok(())
    }

    /// Runs after DynamoDB carried out a delete, with its key and the item
    /// deleted, as stored before (decoded through the read pipeline). A point
    /// delete always asks DynamoDB for it, so `deleted` is `None` only when
    /// there was no item; batch and transaction deletes cannot ask
    /// (BatchWriteItem and TransactWriteItems return no items), so there it is
    /// always `None`.
    async fn after_delete(key: &Self::Key, deleted: Option<&Self>) -> Result<(), BoxError> {
        let _ = (key, deleted);
        Ok(())
    }

    /// Runs before an update or upsert (point or in a transaction) is sent,
    /// once the request passed every check (values validated, limits), with
    /// its key and the attributes it changes (names, not values).
    async fn before_update(update: &UpdateInfo<'_, Self>) -> Result<(), BoxError> {
        let _ = update;
        Ok(())
    }

    /// Runs after DynamoDB carried out an update, with what
    /// [`Hooks::before_update`] saw and the item the update returned, when it
    /// asked for one ([`UpdateReturn`]; always [`UpdateReturn::Nothing`] in
    /// a transaction).
    async fn after_update(
        update: &UpdateInfo<'_, Self>,
        returned: UpdateReturn<'_, Self>,
    ) -> Result<(), BoxError> {
        let _ = (update, returned);
        Ok(())
    }

    /// Runs last on every read, after the `get` transforms.
    fn after_load(&mut self) -> Result<(), BoxError> {
        Ok(())
    }
}

/// What an update hook sees of an update: its key, its kind and the
/// attributes it changes.
pub struct UpdateInfo<'a, M: Model> {
    key: &'a M::Key,
    kind: UpdateKind,
    changes: &'a UpdateChanges,
}

impl<'a, M: Model> UpdateInfo<'a, M> {
    /// What an update hook sees of an update of kind `kind` under `key`
    /// making `changes` (dynamodel makes it; a test may, to call a hook).
    pub fn new(key: &'a M::Key, kind: UpdateKind, changes: &'a UpdateChanges) -> Self {
        UpdateInfo { key, kind, changes }
    }

    /// The key of the item updated.
    pub fn key(&self) -> &'a M::Key {
        self.key
    }

    /// Whether the update may create the item ([`UpdateKind::Upsert`]).
    pub fn kind(&self) -> UpdateKind {
        self.kind
    }

    /// The attributes the update changes, as the caller asked.
    pub fn changes(&self) -> &'a UpdateChanges {
        self.changes
    }
}

impl<M: Model> fmt::Debug for UpdateInfo<'_, M> {
    // The key's values may be personal data: the model and changes only.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UpdateInfo")
            .field("model", &M::MODEL_NAME)
            .field("kind", &self.kind)
            .field("changes", &self.changes)
            .finish_non_exhaustive()
    }
}

/// How an update changes one attribute.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ChangeKind {
    /// `SET path = value` (or another attribute's value).
    Set,
    /// `SET path = if_not_exists(path, value)`: only where absent.
    SetIfNotExists,
    /// An increment or decrement computed by DynamoDB.
    Arithmetic,
    /// A list append or prepend.
    ListAppend,
    /// `REMOVE path`.
    Remove,
    /// `ADD path value` (a number or set elements).
    Add,
    /// `DELETE path elements` (set elements).
    DeleteElements,
}

/// The attributes an update changes, in the order the caller wrote them:
/// paths (`address.city`, `tags[0]`) and how, never the values. What
/// dynamodel adds on its own (`updated_at`, the version, an upsert's
/// defaults) is not listed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UpdateChanges {
    changes: Vec<(String, ChangeKind)>,
}

impl UpdateChanges {
    /// The changes of `actions`.
    pub(crate) fn of(actions: &[UpdateAction]) -> Self {
        let changes = actions
            .iter()
            .map(|action| {
                let kind = match action {
                    UpdateAction::Set(_, value) => match value {
                        SetValue::Value(_) | SetValue::Path(_) => ChangeKind::Set,
                        SetValue::IfNotExists(_) => ChangeKind::SetIfNotExists,
                        SetValue::Increment { .. } | SetValue::Decrement { .. } => {
                            ChangeKind::Arithmetic
                        }
                        SetValue::Append(_) | SetValue::Prepend(_) => ChangeKind::ListAppend,
                    },
                    UpdateAction::Remove(_) => ChangeKind::Remove,
                    UpdateAction::Add(..) => ChangeKind::Add,
                    UpdateAction::Delete(..) => ChangeKind::DeleteElements,
                };
                (action.path().display_name(), kind)
            })
            .collect();
        UpdateChanges { changes }
    }

    /// Each changed path with how it changes.
    pub fn iter(&self) -> impl Iterator<Item = (&str, ChangeKind)> {
        self.changes
            .iter()
            .map(|(path, kind)| (path.as_str(), *kind))
    }

    /// The changed paths.
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.changes.iter().map(|(path, _)| path.as_str())
    }

    /// Whether the update changes the top-level attribute `name` or a path
    /// inside it (`address` for `address.city`).
    pub fn touches(&self, name: &str) -> bool {
        self.paths().any(|path| {
            path.strip_prefix(name)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with(['.', '[']))
        })
    }

    /// The number of changes.
    pub fn len(&self) -> usize {
        self.changes.len()
    }

    /// Whether there is no change.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }
}

/// The item an update returned, as [`Hooks::after_update`] sees it.
#[non_exhaustive]
pub enum UpdateReturn<'a, M> {
    /// The update asked for no whole item (the default, the raw
    /// `return_updated_old/new` attributes, or inside a transaction).
    Nothing,
    /// `return_all_old()`: the item before the update (`None`: there was none).
    Old(Option<&'a M>),
    /// `return_all_new()`: the item after the update.
    New(&'a M),
}

impl<M> Clone for UpdateReturn<'_, M> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<M> Copy for UpdateReturn<'_, M> {}

impl<M> fmt::Debug for UpdateReturn<'_, M> {
    // The item's values may be personal data: which variant only.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UpdateReturn::Nothing => f.write_str("Nothing"),
            UpdateReturn::Old(None) => f.write_str("Old(None)"),
            UpdateReturn::Old(Some(_)) => f.write_str("Old(Some(..))"),
            UpdateReturn::New(_) => f.write_str("New(..)"),
        }
    }
}

/// Decodes an item just written for `after_save`: the read pipeline without
/// the `after_load` hook.
pub(crate) fn decode_written<M: Model>(item: Item) -> crate::Result<M> {
    let mut model = M::from_item(item)?;
    model.apply_get_transforms();
    Ok(model)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::expr::{Operand, Path};

    fn value() -> Operand {
        Operand::Value {
            attribute: Path::attribute("x"),
            value: Ok(crate::AttributeValue::N("1".to_owned())),
        }
    }

    #[test]
    fn changes_name_each_action_and_its_kind() {
        let actions = vec![
            UpdateAction::Set(Path::attribute("a"), SetValue::Value(value())),
            UpdateAction::Set(Path::attribute("b"), SetValue::IfNotExists(value())),
            UpdateAction::Set(
                Path::attribute("c"),
                SetValue::Increment {
                    zero: value(),
                    amount: value(),
                },
            ),
            UpdateAction::Set(Path::attribute("d"), SetValue::Prepend(value())),
            UpdateAction::Remove(Path::attribute("e").key("f")),
            UpdateAction::Add(Path::attribute("g"), value()),
            UpdateAction::Delete(Path::attribute("h").index(2), value()),
            UpdateAction::Set(Path::attribute("i"), SetValue::Path(Path::attribute("a"))),
            UpdateAction::Set(
                Path::attribute("j"),
                SetValue::Decrement {
                    zero: value(),
                    amount: value(),
                },
            ),
            UpdateAction::Set(Path::attribute("k"), SetValue::Append(value())),
        ];
        let changes = UpdateChanges::of(&actions);
        let listed: Vec<_> = changes.iter().collect();
        assert_eq!(
            listed,
            vec![
                ("a", ChangeKind::Set),
                ("b", ChangeKind::SetIfNotExists),
                ("c", ChangeKind::Arithmetic),
                ("d", ChangeKind::ListAppend),
                ("e.f", ChangeKind::Remove),
                ("g", ChangeKind::Add),
                ("h[2]", ChangeKind::DeleteElements),
                ("i", ChangeKind::Set),
                ("j", ChangeKind::Arithmetic),
                ("k", ChangeKind::ListAppend),
            ]
        );
        assert_eq!(changes.len(), 10);
        assert!(!changes.is_empty());
        assert!(UpdateChanges::default().is_empty());
    }

    #[test]
    fn touches_matches_whole_names_and_paths_inside() {
        let actions = vec![
            UpdateAction::Remove(Path::attribute("address").key("city")),
            UpdateAction::Remove(Path::attribute("tags").index(0)),
            UpdateAction::Remove(Path::attribute("age")),
        ];
        let changes = UpdateChanges::of(&actions);
        assert!(changes.touches("address"));
        assert!(changes.touches("tags"));
        assert!(changes.touches("age"));
        assert!(!changes.touches("ag"));
        assert!(!changes.touches("addr"));
        assert!(!changes.touches("city"));
        assert!(!changes.touches("ages"));
    }
}
