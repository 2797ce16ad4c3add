//! Updates from a partial value, as Dynamoose's `Model.update(key, {name,
//! age})`, the Java client's `updateItem` ignoring nulls, or PynamoDB's
//! update actions.
//!
//! `#[derive(Model)]` on `User` also generates `UserPatch`: a struct with
//! one public `Option` per field an update may write, all `None` by
//! [`Default`]. [`Update::patch`] writes the fields that are `Some`:
//!
//! ```
//! # use dynamodel::{Db, Model};
//! #[derive(Model, Clone)]
//! struct User {
//!     #[dynamodel(hash_key)]
//!     id: String,
//!     #[dynamodel(length(min = 1))]
//!     name: String,
//!     age: u32,
//!     nickname: Option<String>,
//! }
//!
//! # fn demo(db: &Db) -> dynamodel::Result<dynamodel::ops::UpdateRequest> {
//! let patch = UserPatch {
//!     name: Some("Ada".into()), // SET name
//!     nickname: Some(None),     // REMOVE nickname
//!     ..UserPatch::default()    // age: None, left as stored
//! };
//! db.update::<User>("u1").patch(patch).to_request()
//! # }
//! ```
//!
//! # Guarantees
//!
//! - **Same pipeline as `set`.** Each field given is written exactly as
//!   [`Update::set`] would write it through the field's typed handle: its
//!   `set` transform, its validation (failures collected, attributes named,
//!   nothing sent), its storage (`date`, `serde`, binary), DynamoDB's limits.
//!   The update adds `updated_at` and the `force_default` fields, checks the
//!   version given with [`Update::if_version`] and bumps it, and keeps every
//!   condition, like any update (see [`crate::pipeline`], "Updates").
//! - **`None` leaves the attribute unchanged.** It is not written at all.
//! - **Removing.** On an `Option<T>` field the patch holds
//!   `Option<Option<T>>`: `Some(Some(v))` writes `v`, `Some(None)` removes
//!   the attribute (on a `#[dynamodel(null)]` field: stores `NULL`, as a
//!   whole-item write would). A value that stores no attribute (an empty
//!   set) removes it too, again as a whole-item write would.
//! - **Protected attributes are not in the patch.** The patch type has no
//!   field for the primary key or a field composing it, the version,
//!   `created_at` / `updated_at`, `skip` fields or the `unknown` catch-all:
//!   writing them is a compile error, not a runtime one.
//! - **Index keys follow.** A patch writing fields of an index key template
//!   writes the index attribute too, as [`Update::set`] does (see
//!   [`super::composed`]): it must then hold every field of the template
//!   that is not in the item's key, or the update fails before sending.
//! - **An empty patch is an error.** An update whose only writes came from
//!   patches that set nothing fails with [`Error::InvalidRequest`] before
//!   sending, also on a versioned model (where a bare update would still
//!   bump the version). An update must answer with what it wrote (`AllNew`
//!   and friends) and, for [`crate::Db::update`], whether the item exists,
//!   so it cannot quietly skip the request; an empty patch is almost always
//!   a form with nothing filled in, which the caller should decide about.
//!   [`crate::Db::save_changes`], where "nothing changed" is normal, sends
//!   nothing instead.
//!
//! A patch combines with the other builder methods: `.patch(p).increment(..)`
//! writes both (one update, so they may not write the same attribute).

use crate::expr::{Field, Operand, Optional, UpdateAction};
use crate::value::adapter::Adapter;
use crate::value::ConvertError;
use crate::{Attribute, AttributeValue, Error, Model};

use super::Update;

/// A model with a generated `{Model}Patch` type (every `#[derive(Model)]`):
/// what [`Update::patch`] and [`crate::Db::save_changes`] need. Implemented
/// by the derive; not meant to be implemented by hand.
#[diagnostic::on_unimplemented(
    message = "`{Self}` has no generated patch type",
    note = "patches and tracked saves work with models deriving `dynamodel::Model`"
)]
pub trait Patchable: Model {
    /// The generated `{Model}Patch`: one `Option` per field an update may
    /// write (an `Option<Option<T>>` for an `Option<T>` field).
    type Patch: Default + Send + 'static;

    /// The stored names of the attributes a patch can write, in field order.
    const PATCH_ATTRIBUTES: &'static [&'static str];

    /// Adds the writes of `patch` to `update` (through the typed handles).
    fn apply_patch<R>(patch: Self::Patch, update: Update<Self, R>) -> Update<Self, R>;

    /// The patch writing this value's fields whose stored name `changed`
    /// answers `true` for (and leaving the others `None`).
    fn into_patch(self, changed: &dyn Fn(&str) -> bool) -> Self::Patch;
}

impl<M: Patchable, R> Update<M, R> {
    /// Writes the fields of `patch` that are `Some` (see [`patch`](self)):
    /// `None` leaves an attribute unchanged, `Some(None)` on an `Option`
    /// field removes it. Each value goes through the field's `set`
    /// transform and validation, as with [`Update::set`].
    pub fn patch(mut self, patch: M::Patch) -> Self {
        self.patched = true;
        M::apply_patch(patch, self)
    }
}

/// The error of an update whose patches wrote nothing.
pub(super) fn empty_patch<M: Model>() -> Error {
    Error::InvalidRequest {
        model: M::MODEL_NAME,
        message: "the patch sets no field, so the update has nothing to write (nothing was sent)"
            .to_owned(),
    }
}

/// A patched field of the handle's own type: [`Update::set`], except that a
/// value storing no attribute (an empty set) removes it. Used by generated
/// code.
#[doc(hidden)]
pub fn patch_set<M: Model, R, T: Attribute, P>(
    mut update: Update<M, R>,
    field: &Field<M, T, P>,
    value: T,
) -> Update<M, R> {
    let (operand, key_part) =
        crate::pipeline::update::prepare_value(field, value, &mut update.invalid);
    match operand {
        // Stores no attribute: removed (which a sparse index key follows).
        Operand::Value {
            value: Err(ConvertError::Missing),
            ..
        } => update.action(UpdateAction::Remove(field.path().clone())),
        operand => update.set_prepared(field.path().clone(), operand, key_part),
    }
}

/// A patched field stored through adapter `A` (`date`, `serde`, binary):
/// converted by the adapter, then the handle's rule on converted values
/// (transform, validation). Used by generated code.
#[doc(hidden)]
pub fn patch_set_adapted<M: Model, R, T: Attribute, P, V, A: Adapter<V>>(
    mut update: Update<M, R>,
    field: &Field<M, T, P>,
    value: &V,
) -> Update<M, R> {
    let converted = A::to_attribute(value).and_then(crate::value::present);
    let operand = crate::pipeline::update::prepare_encoded(field, converted, &mut update.invalid);
    write_operand(update, field, operand)
}

/// `Some(None)` on an `Option` field: `REMOVE`. Used by generated code.
#[doc(hidden)]
pub fn patch_remove<M: Model, R, T: Attribute>(
    update: Update<M, R>,
    field: &Field<M, T, Optional>,
) -> Update<M, R> {
    update.remove(field)
}

/// `Some(None)` on a `#[dynamodel(null)]` field: stores `NULL`, as a
/// whole-item write does. Used by generated code.
#[doc(hidden)]
pub fn patch_set_null<M: Model, R, T: Attribute>(
    mut update: Update<M, R>,
    field: &Field<M, T, Optional>,
) -> Update<M, R> {
    update.note_absent();
    let operand = Operand::Value {
        attribute: field.path().clone(),
        value: Ok(AttributeValue::Null(true)),
    };
    update.action(UpdateAction::Set(
        field.path().clone(),
        crate::expr::SetValue::Value(operand),
    ))
}

/// `SET` the prepared operand, or `REMOVE` when the value stores no
/// attribute (validation failures were recorded already).
fn write_operand<M: Model, R, T: Attribute, P>(
    update: Update<M, R>,
    field: &Field<M, T, P>,
    operand: Operand,
) -> Update<M, R> {
    let path = field.path().clone();
    match operand {
        Operand::Value {
            value: Err(ConvertError::Missing),
            ..
        } => update.action(UpdateAction::Remove(path)),
        operand => update.action(UpdateAction::Set(
            path,
            crate::expr::SetValue::Value(operand),
        )),
    }
}
