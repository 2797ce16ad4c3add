//! The write and read pipelines every operation goes through.
//!
//! Every operation that writes an item (create, put, batch, transaction)
//! calls [`prepare_write`], and every operation that reads one calls
//! [`finish_read`], so defaults, transforms, timestamps and validation apply
//! the same way everywhere.
//!
//! # Write pipeline
//!
//! On a copy of the item (made only when the model has write-time settings;
//! the caller's value is not changed):
//!
//! 1. the `before_save` hook ([`crate::settings::Hooks`]), when `#[dynamodel(hooks)]`;
//! 2. defaults: `default = expr` / `default_with = path` fill an *absent*
//!    value (`None` on an `Option` field, an empty string or collection
//!    otherwise) on every write; `force_default` replaces the value on every write;
//! 3. `set = path` transforms;
//! 4. validation: `range`, `length`, `one_of`, `regex`, field `validate`,
//!    then the struct's `validate`. Every failure is collected and returned
//!    as one [`crate::Error::Validation`]; nothing is sent;
//! 5. timestamps: `created_at` is set on `create`, and on `put` only when
//!    unset (`0` / `None`, i.e. a new value built in code; a value read from
//!    the table is kept); `updated_at` is set on every write;
//! 6. encoding ([`crate::Model::to_item`]), plus the attributes kept in the
//!    `#[dynamodel(unknown)]` catch-all.
//!
//! Validation sees the value after defaults and `set` transforms.
//!
//! # Updates
//!
//! An update ([`crate::Db::update`], [`crate::Db::upsert`]) writes single
//! attributes, not a whole item, so the pipeline applies per attribute:
//!
//! 1. a value written with `set` / `set_if_not_exists` through a typed handle
//!    goes through the field's `set` transform, then its validation (and the
//!    rules of the nested documents inside it); failures are collected, the
//!    paths named (`address.zip`), and nothing is sent. Values in conditions
//!    go through the `set` transform only. Arithmetic (`add`, `increment`,
//!    `decrement`) and list appends are computed by DynamoDB: their results
//!    are not validated. Runtime paths ([`crate::expr::Field::dynamic`]) carry
//!    no settings;
//! 2. every update also writes `updated_at` and the `force_default` fields;
//! 3. an upsert, which may create the item, also writes `created_at` and the
//!    defaults with `if_not_exists`, so an existing item keeps its values;
//! 4. an attribute the update writes itself is left to it: dynamodel adds
//!    nothing on that path;
//! 5. an upsert must write every attribute the model requires (those
//!    [`crate::Model::from_item`] cannot do without): otherwise the item it
//!    creates could not be read back, so it fails with
//!    [`crate::Error::Validation`] (rule `required`) before sending. Write
//!    such attributes with `set_if_not_exists` to keep stored values.
//!
//! The `before_save` hook and the struct-level `validate` need a whole item
//! and do not run on updates.
//!
//! # Read pipeline
//!
//! 1. decoding ([`crate::Model::from_item`]: type checks, `skip` fields get
//!    `Default::default()`, undeclared attributes go to the `unknown` catch-all);
//! 2. `get = path` transforms;
//! 3. the `after_load` hook.
//!
//! On an `Option<T>` field, `set`, `get`, `range`, `length`, `one_of`,
//! `regex` and `validate` apply to the `T` inside and are skipped for `None`.
//!
//! # Costs and requirements
//!
//! A model with write-time settings (defaults, `set`, timestamps, hooks) is
//! copied field by field before each write, so those fields' types must be
//! `Clone` (`skip` fields are not copied: the copy gets `Default::default()`).
//! A model with only validation settings, or none, is not copied. `set` and
//! `get` on a non-`Option` field take the value out with `std::mem::take`, so
//! the type must be `Default`. Strings' `length` counts characters.
//!
//! # Names and serde
//!
//! dynamodel does not read `#[serde(...)]`: a struct whose serde
//! `rename_all`, or a field whose serde `rename`, would name attributes
//! differently from dynamodel is a compile error until dynamodel's own
//! `rename_all` / `rename` says which names to store.

use crate::{Item, Model, Result};

/// Why an item is being written: `created_at`-style settings apply only on create.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum WriteKind {
    /// A write that must not replace an existing item (`create`).
    Create,
    /// A write that may replace an existing item (`put`).
    Put,
}

/// Which update is being built: what it writes on its own depends on whether
/// it may create the item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum UpdateKind {
    /// `db.update(key)`: the item must exist.
    Update,
    /// `db.upsert(key)`: the item is created when missing.
    Upsert,
}

/// Turns a model into the item to send, applying the write pipeline, and
/// checks it against DynamoDB's limits (key values, 400 KB).
pub fn prepare_write<M: Model>(model: &M, kind: WriteKind) -> Result<Item> {
    let item = pipeline(model, kind)?;
    let keys = M::key_schema();
    for name in std::iter::once(keys.hash.name).chain(keys.range.map(|r| r.name)) {
        if let Some(value) = item.get(name) {
            crate::model::check_key_value::<M>(name, value)?;
        }
    }
    check_size::<M>(&item)?;
    Ok(item)
}

/// Refuses an item over DynamoDB's 400 KB limit before sending it.
pub(crate) fn check_size<M: Model>(item: &Item) -> Result<()> {
    let size = crate::ops::item_size(item);
    if size > crate::ops::MAX_ITEM_SIZE {
        return Err(crate::Error::InvalidRequest {
            model: M::MODEL_NAME,
            message: format!(
                "the item is {size} bytes, over DynamoDB's limit of {} bytes (400 KB)",
                crate::ops::MAX_ITEM_SIZE
            ),
        });
    }
    Ok(())
}

fn pipeline<M: Model>(model: &M, kind: WriteKind) -> Result<Item> {
    match model.write_copy() {
        Some(mut copy) => {
            copy.apply_write_settings(kind)?;
            copy.to_item()
        }
        None => {
            // No write-time settings that change the item: validate in place.
            model
                .validate()
                .map_err(|errors| crate::Error::Validation {
                    model: M::MODEL_NAME,
                    errors,
                })?;
            model.to_item()
        }
    }
}

/// Turns a stored item into the model, applying the read pipeline.
pub fn finish_read<M: Model>(item: Item) -> Result<M> {
    let mut model = M::from_item(item)?;
    model.apply_read_settings()?;
    Ok(model)
}
