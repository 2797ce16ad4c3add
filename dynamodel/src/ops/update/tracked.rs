//! Saving what changed (dirty tracking), as PynamoDB's `save` of changed
//! attributes or an ORM's unit of work, with one `UpdateItem`.
//!
//! ```
//! # use dynamodel::{Db, Model};
//! # #[derive(Model, Clone)]
//! # struct User {
//! #     #[dynamodel(hash_key)]
//! #     id: String,
//! #     name: String,
//! #     age: u32,
//! # }
//! # async fn demo(db: &Db) -> dynamodel::Result<()> {
//! if let Some(mut user) = db.get::<User>("u1").tracked().await? {
//!     user.age += 1; // `Tracked<User>` derefs to `User`
//!     let sent = db.save_changes(&mut user).await?; // SET age, nothing else
//!     assert!(sent);
//!     assert!(!db.save_changes(&mut user).await?); // nothing changed: no request
//! }
//! # Ok(())
//! # }
//! ```
//!
//! # Guarantees
//!
//! - **What changed is what is stored differently.** [`Tracked`] keeps the
//!   item as encoded when it was loaded ([`crate::Model::to_item`] of the
//!   value read, after `get` transforms). Saving encodes the value again and
//!   compares attribute by attribute (sets as sets: their order is not
//!   compared), not with `PartialEq` on the model.
//! - **One update, the update pipeline.** The changed fields are written as
//!   a patch ([`super::patch`]): `set` transforms, validation, storage,
//!   limits, `updated_at`, `force_default`, all as [`super::Update::set`]. A
//!   field that no longer stores an attribute (`None`, an empty set) is
//!   removed. The update requires the item to exist.
//! - **Versions.** On a model with `#[dynamodel(version)]` the update
//!   expects the version that was loaded, and fails with
//!   [`Error::VersionConflict`] when another writer saved in between.
//! - **Nothing changed: no request.** [`crate::Db::save_changes`] answers
//!   `Ok(false)` and sends nothing.
//! - **What an update cannot write is refused before sending.** A changed
//!   key (or a field composing it), version, timestamp, or `unknown`
//!   catch-all fails with [`Error::InvalidRequest`] naming the attribute;
//!   write the whole item ([`crate::Db::put`]) instead.
//! - **Index keys follow.** A changed field that an index key template
//!   names (`gsi(name = "gsi1", pk = "STATUS#{status}")`) is written with
//!   the index attribute, rendered from the whole value as a put would
//!   render it, so the item moves in the index. The fields of that template
//!   that did not change are expected to be as read (the update's
//!   condition; on a versioned model the version check covers them), so a
//!   concurrent change fails the save instead of leaving a stale index key
//!   (see [`super::composed`]).
//! - **After saving**, the tracked value is the item as stored (read back
//!   with `ALL_NEW` in the same request: new version, `updated_at`), and it
//!   becomes the new snapshot. On an error the value keeps the changes, so
//!   the caller can inspect or retry them.
//!
//! Cost: one encoding of the item and one comparison per attribute per
//! save (a few microseconds for a dozen fields); the snapshot holds one
//! encoded copy of the item.

use std::collections::BTreeSet;
use std::ops::{Deref, DerefMut};

use aws_sdk_dynamodb::types::AttributeValue;

use super::patch::Patchable;
use crate::expr::{Comparator, Condition, ConditionNode, Operand, Path};
use crate::ops::Get;
use crate::{Db, Error, Item, Model, Result};

/// An item read from the table, with the snapshot it was read as, so that
/// [`Db::save_changes`] writes only what changed. Derefs to the model.
///
/// Build it with [`Get::tracked`] or [`Tracked::new`] (from a value read by
/// a query, a batch, ...). Its `Debug` shows the model name only.
pub struct Tracked<M> {
    value: M,
    snapshot: Item,
}

impl<M: Model> Tracked<M> {
    /// Tracks `value`, taking it as the item stored now (it should have been
    /// read from the table: changes are computed against it).
    pub fn new(value: M) -> Result<Self> {
        let snapshot = value.to_item()?;
        Ok(Tracked { value, snapshot })
    }

    /// The stored names of the attributes whose encoded value differs from
    /// the snapshot, sorted.
    pub fn changed_attributes(&self) -> Result<Vec<String>> {
        let current = self.value.to_item()?;
        Ok(changed_attributes(&self.snapshot, &current))
    }

    /// The value, no longer tracked.
    pub fn into_inner(self) -> M {
        self.value
    }
}

impl<M> Deref for Tracked<M> {
    type Target = M;
    fn deref(&self) -> &M {
        &self.value
    }
}

impl<M> DerefMut for Tracked<M> {
    fn deref_mut(&mut self) -> &mut M {
        &mut self.value
    }
}

impl<M: Model> std::fmt::Debug for Tracked<M> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The item may hold personal data: the model's name only.
        f.debug_struct("Tracked")
            .field("model", &M::MODEL_NAME)
            .finish_non_exhaustive()
    }
}

impl<M: Model> Get<M> {
    /// Sends the get and tracks the item read, for [`Db::save_changes`].
    pub async fn tracked(self) -> Result<Option<Tracked<M>>> {
        self.send().await?.map(Tracked::new).transpose()
    }
}

impl Db {
    /// Writes the fields of `tracked` changed since it was read, in one
    /// `UpdateItem` (see [`tracked`](self)); `Ok(false)` when nothing
    /// changed (no request is sent). On success `tracked` holds the item as
    /// stored (new version, `updated_at`) and tracks from there.
    ///
    /// Fails before sending when a changed attribute is one an update cannot
    /// write (key, version, timestamps, `unknown`); with
    /// [`Error::VersionConflict`] when the stored version is no longer the
    /// one read; with [`Error::NotFound`] when the item was deleted.
    pub async fn save_changes<M: Patchable + Clone>(
        &self,
        tracked: &mut Tracked<M>,
    ) -> Result<bool> {
        let Some(update) = changes_update(self, tracked)? else {
            return Ok(false);
        };
        let saved = update.return_all_new().send().await?;
        *tracked = Tracked::new(saved)?;
        Ok(true)
    }
}

/// The update writing the changes of `tracked`, `None` when nothing changed.
fn changes_update<M: Patchable + Clone>(
    db: &Db,
    tracked: &Tracked<M>,
) -> Result<Option<super::Update<M>>> {
    let current = tracked.value.to_item()?;
    let changed = changed_attributes(&tracked.snapshot, &current);
    if changed.is_empty() {
        return Ok(None);
    }
    if let Some(name) = changed
        .iter()
        .find(|name| !M::PATCH_ATTRIBUTES.contains(&name.as_str()))
    {
        return Err(Error::InvalidRequest {
            model: M::MODEL_NAME,
            message: format!(
                "`{name}` changed since the item was read, but {}: write the whole item with `put` instead",
                unwritable_reason::<M>(name)
            ),
        });
    }
    let patch = tracked
        .value
        .clone()
        .into_patch(&|name| changed.iter().any(|c| c == name));
    let mut update = db.update_as::<M>(tracked.value.key(), true).patch(patch);
    if let Some(name) = M::version_attribute() {
        let read = crate::version::parse(M::MODEL_NAME, name, tracked.snapshot.get(name))?;
        update = update.if_version(read);
    }
    Ok(Some(with_index_keys(update, tracked, &changed)?))
}

/// When a changed field composes an index key: the update writes the
/// index attributes as a put of the value would (the tracked value is the
/// whole item), and, without a version check, expects the template fields
/// it did not change to be the ones read, so the key it writes matches the
/// stored fields.
fn with_index_keys<M: Patchable>(
    mut update: super::Update<M>,
    tracked: &Tracked<M>,
    changed: &[String],
) -> Result<super::Update<M>> {
    let is_changed = |name: &str| changed.iter().any(|c| c == name);
    let touched: Vec<_> = M::index_key_templates()
        .iter()
        .filter(|template| template.fields().any(is_changed))
        .collect();
    if touched.is_empty() {
        return Ok(update);
    }
    let mut keys = Item::new();
    tracked.value.write_key_attributes(&mut keys)?;
    update = update.with_whole_item_keys(keys);
    if M::version_attribute().is_some() {
        return Ok(update);
    }
    let in_key = |name: &str| {
        M::key_schema().names().contains(&name) || M::key_template_attributes().contains(&name)
    };
    let mut expected = BTreeSet::new();
    for template in touched {
        expected.extend(template.fields().filter(|f| !is_changed(f) && !in_key(f)));
    }
    for name in expected {
        let path = Path::attribute(name);
        let node = match tracked.snapshot.get(name) {
            Some(value) => ConditionNode::Compare(
                Operand::Path(path.clone()),
                Comparator::Eq,
                Operand::Value {
                    attribute: path,
                    value: Ok(value.clone()),
                },
            ),
            None => ConditionNode::NotExists(path),
        };
        update = update.condition(Condition::from_node(node));
    }
    Ok(update)
}

/// Why an update cannot write the attribute `name` of model `M`.
fn unwritable_reason<M: Model>(name: &str) -> &'static str {
    let in_primary_key =
        M::key_schema().names().contains(&name) || M::key_template_attributes().contains(&name);
    if in_primary_key {
        "it is part of the primary key, which an update cannot change"
    } else if M::version_attribute() == Some(name) {
        "it is the version attribute, which dynamodel bumps on every write"
    } else {
        "an update does not write it (a timestamp, or an attribute of the `unknown` catch-all)"
    }
}

/// The names of the attributes whose value differs between `before` and
/// `after` (present in one only, or different), sorted. Sets compare as
/// sets.
pub(crate) fn changed_attributes(before: &Item, after: &Item) -> Vec<String> {
    let names: BTreeSet<&String> = before.keys().chain(after.keys()).collect();
    names
        .into_iter()
        .filter(|name| match (before.get(*name), after.get(*name)) {
            (Some(old), Some(new)) => !same_value(old, new),
            _ => true,
        })
        .cloned()
        .collect()
}

/// Whether two stored values are the same; string, number and binary sets
/// are compared without regard to order (an encoded `HashSet` has none).
fn same_value(a: &AttributeValue, b: &AttributeValue) -> bool {
    match (a, b) {
        (AttributeValue::Ss(a), AttributeValue::Ss(b))
        | (AttributeValue::Ns(a), AttributeValue::Ns(b)) => same_elements(
            a.iter().map(String::as_bytes),
            b.iter().map(String::as_bytes),
        ),
        (AttributeValue::Bs(a), AttributeValue::Bs(b)) => {
            same_elements(a.iter().map(|x| x.as_ref()), b.iter().map(|x| x.as_ref()))
        }
        _ => a == b,
    }
}

/// Whether two sequences hold the same elements, in any order.
fn same_elements<'a>(
    a: impl ExactSizeIterator<Item = &'a [u8]>,
    b: impl ExactSizeIterator<Item = &'a [u8]>,
) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let mut a: Vec<&[u8]> = a.collect();
    let mut b: Vec<&[u8]> = b.collect();
    a.sort_unstable();
    b.sort_unstable();
    a == b
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_dynamodb::primitives::Blob;

    fn item(pairs: &[(&str, AttributeValue)]) -> Item {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), v.clone()))
            .collect()
    }

    fn s(v: &str) -> AttributeValue {
        AttributeValue::S(v.to_owned())
    }

    #[test]
    fn equal_items_have_no_changes() {
        let a = item(&[("id", s("1")), ("name", s("Ada"))]);
        assert!(changed_attributes(&a, &a.clone()).is_empty());
    }

    #[test]
    fn changed_added_and_removed_attributes_are_listed_sorted() {
        let before = item(&[("id", s("1")), ("name", s("Ada")), ("nick", s("a"))]);
        let after = item(&[("id", s("1")), ("name", s("Bea")), ("age", s("3"))]);
        assert_eq!(changed_attributes(&before, &after), ["age", "name", "nick"]);
    }

    #[test]
    fn another_type_is_a_change() {
        let before = item(&[("n", AttributeValue::N("1".into()))]);
        let after = item(&[("n", s("1"))]);
        assert_eq!(changed_attributes(&before, &after), ["n"]);
    }

    #[test]
    fn sets_compare_without_order() {
        let ss = |v: &[&str]| AttributeValue::Ss(v.iter().map(|x| (*x).to_owned()).collect());
        let ns = |v: &[&str]| AttributeValue::Ns(v.iter().map(|x| (*x).to_owned()).collect());
        let bs = |v: &[u8]| AttributeValue::Bs(v.iter().map(|x| Blob::new(vec![*x])).collect());
        assert!(same_value(&ss(&["a", "b"]), &ss(&["b", "a"])));
        assert!(!same_value(&ss(&["a", "b"]), &ss(&["a", "c"])));
        assert!(!same_value(&ss(&["a"]), &ss(&["a", "b"])));
        assert!(!same_value(&ss(&["a", "a"]), &ss(&["a", "b"])));
        assert!(same_value(&ns(&["1", "2"]), &ns(&["2", "1"])));
        assert!(!same_value(&ns(&["1", "2"]), &ns(&["1", "3"])));
        assert!(same_value(&bs(&[1, 2]), &bs(&[2, 1])));
        assert!(!same_value(&bs(&[1, 2]), &bs(&[1, 3])));
        // A string set and a number set with the same text differ.
        assert!(!same_value(&ss(&["1"]), &ns(&["1"])));
    }

    #[test]
    fn lists_keep_their_order() {
        let l = |v: &[&str]| AttributeValue::L(v.iter().map(|x| s(x)).collect());
        assert!(!same_value(&l(&["a", "b"]), &l(&["b", "a"])));
        assert!(same_value(&l(&["a", "b"]), &l(&["a", "b"])));
    }
}
