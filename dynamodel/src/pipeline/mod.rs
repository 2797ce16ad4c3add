//! The write and read pipelines every operation goes through: the one place
//! that decides in which order a model's settings apply.
//!
//! Every operation that writes a whole item (create, put, batch,
//! transaction) prepares it with [`PreparedWrite::new`], every update builds
//! its values through the per-attribute variant (`pipeline::update`), and every
//! operation that reads an item calls [`finish_read`], so defaults,
//! transforms, timestamps, validation, versions and limits apply the same
//! way everywhere. The derive only generates the phases (one small
//! [`crate::Model`] method each, doing nothing by default); the order is
//! written here, once.
//!
//! # Write pipeline
//!
//! On a copy of the item (made only when the model has write-time settings;
//! the caller's value is not changed):
//!
//! 1. the `before_save` hook ([`crate::settings::Hooks`]), when `#[dynamodel(hooks)]`
//!    ([`crate::Model::before_save_hook`]);
//! 2. defaults ([`crate::Model::apply_defaults`]): `default = expr` /
//!    `default_with = path` fill an *absent* value (`None` on an `Option`
//!    field, an empty string or collection otherwise) on every write;
//!    `force_default` replaces the value on every write. `generate =
//!    "uuid_v4" | "uuid_v7" | "ulid"` (features `uuid`, `ulid`; allowed on
//!    key and key-template fields, unlike defaults) fills an absent value the
//!    same way (an empty `String`, a nil `uuid::Uuid` / `ulid::Ulid`, `None`)
//!    with a new identifier, so putting back an item read from the table
//!    keeps its identifier; the caller's value is not changed: `.saved()`
//!    returns the item as written, identifier included;
//! 3. `set = path` transforms ([`crate::Model::apply_set_transforms`]);
//! 4. validation ([`crate::Model::validate`]): `range`, `length`, `one_of`,
//!    `regex`, field `validate`, the rules of nested documents, then the
//!    struct's `validate`. Every failure is collected and returned as one
//!    [`crate::Error::Validation`]; nothing is sent;
//! 5. timestamps ([`crate::Model::apply_timestamps`]): `created_at` is set on
//!    `create`, and on `put` only when unset (`0` / `None`, i.e. a new value
//!    built in code; a value read from the table is kept); `updated_at` is
//!    set on every write. The clock is read once per write;
//! 6. encoding ([`crate::Model::to_item`]), plus the attributes kept in the
//!    `#[dynamodel(unknown)]` catch-all; then the key step
//!    ([`crate::Model::write_key_attributes`]): the key attributes composed
//!    from the fields by key templates ([`crate::key`]), rendered from the
//!    same value, so they never drift from the fields; and the entity
//!    attribute of a model on a shared table ([`crate::entity`]);
//! 7. the version (`#[dynamodel(version)]`, see [`crate::version`]): the
//!    item stores the version read plus one, and the write carries the check
//!    "the stored version is the one read" ([`PreparedWrite::version_check`]);
//! 8. DynamoDB's limits: key values of the table and of its secondary
//!    indexes (not empty, at most 2048 bytes for a partition key and 1024
//!    for a sort key) and the 400 KB item size.
//!
//! Validation sees the value after defaults and `set` transforms. The result
//! is one [`PreparedWrite`]: the item to send, its kind and its version check.
//!
//! Then, at `send`:
//!
//! 9. the request is sent (with its conditions and version check);
//! 10. once DynamoDB wrote the item, the `after_save` hook, on the item as
//!     written (steps 1–7, decoded as a `get` would return it without
//!     `after_load`). A refused write (validation, a condition, a
//!     cancelled transaction) runs no `after_save`.
//!
//! # Updates
//!
//! An update ([`crate::Db::update`], [`crate::Db::upsert`]) writes single
//! attributes, not a whole item, so the pipeline applies per attribute
//! (`pipeline::update`):
//!
//! 1. a value written with `set` / `set_if_not_exists` through a typed handle
//!    goes through the field's `set` transform, then its validation (and the
//!    rules of the nested documents inside it); failures are collected, the
//!    paths named (`address.zip`), and nothing is sent. Values in conditions
//!    go through the `set` transform only. Arithmetic (`add`, `increment`,
//!    `decrement`) and list appends are computed by DynamoDB: their results
//!    are not validated. Runtime paths ([`crate::expr::Field::dynamic`]) carry
//!    no settings;
//! 2. DynamoDB's limits on the values written: one stored in a key attribute
//!    of a secondary index obeys the key rules, and no single value is over
//!    400 KB;
//! 3. every update also writes `updated_at` and the `force_default` fields
//!    ([`crate::Model::automatic_updates`]);
//! 4. an upsert, which may create the item, also writes `created_at` and the
//!    defaults and the generated non-key fields with `if_not_exists`, so an
//!    existing item keeps its values (keys are given, never generated),
//!    and the key template fields' own attributes (from the key it was
//!    given); an update never writes a key template field (typed
//!    [`crate::Error::InvalidRequest`] before sending); an update writing
//!    fields of an index key template also writes the index attribute,
//!    rendered from the new values as step 6 of a whole-item write renders
//!    it (every field of the template must be known, from the key, the
//!    values written or the stored values given with
//!    [`crate::ops::Update::composite`], which a condition checks: typed
//!    [`crate::Error::InvalidRequest`] otherwise; see
//!    [`crate::ops::update::composed`]); an upsert also writes, with
//!    `if_not_exists`, the index keys of templates it writes no field of
//!    but knows every field of (the key, `composite()` values, generated
//!    fields), so an item it creates is in its indexes;
//! 5. an attribute the update writes itself is left to it: dynamodel adds
//!    nothing on that path;
//! 6. an upsert must write every attribute the model requires (those
//!    [`crate::Model::from_item`] cannot do without): otherwise the item it
//!    creates could not be read back, so it fails with
//!    [`crate::Error::Validation`] (rule `required`) before sending. Write
//!    such attributes with `set_if_not_exists` to keep stored values.
//!
//! A patch ([`crate::ops::Update::patch`], the generated `{Model}Patch`)
//! writes each field it holds exactly as `set` through the field's handle
//! would (step 1 on), and so does [`crate::Db::save_changes`], which builds
//! the patch from the fields whose encoded value changed since the item was
//! read and expects the version read (see [`crate::ops::update::patch`] and
//! [`crate::ops::update::tracked`]).
//! Then, at `send`, for a model with hooks:
//!
//! 7. the `before_update` hook, once the request passed every check above
//!    (it never sees an update that would be refused before sending), with
//!    the key and the paths changed ([`crate::settings::UpdateInfo`]);
//! 8. the request is sent;
//! 9. once DynamoDB carried it out, the `after_update` hook, with the same
//!    view and the item returned when `return_all_old` / `return_all_new`
//!    asked for one.
//!
//! The `before_save` hook and the struct-level `validate` need a whole item
//! and do not run on updates.
//!
//! # Deletes
//!
//! A delete (`delete`, `delete_item`, batch and transaction deletes) sends a
//! key, not an item: no write pipeline. For a model with hooks: the request is
//! built and checked (conditions, version, entity), then the `before_delete`
//! hook runs with the key, then the request is sent, then the `after_delete`
//! hook runs with the key and the deleted item (a point delete always asks
//! DynamoDB for it; batch and transaction deletes cannot, and pass `None`).
//!
//! # Hooks around requests
//!
//! The asynchronous hooks (`after_save`, `before_delete`, `after_delete`,
//! `before_update`, `after_update`; see [`crate::Hooks`]) run at `send`,
//! around the request, never when the builder is made, so a dry run
//! (`to_request`) runs none of them. A `before_*` hook's error stops the
//! operation with [`crate::Error::Hook`] and nothing is sent; an `after_*`
//! hook's error is [`crate::Error::AfterHook`]: the write was done. In a batch
//! or a transaction, the `before_*` hooks of all its writes run, in the order
//! added, before anything is sent (a failure: [`crate::Error::Item`] with the
//! write's index, nothing of the call sent; a batch fed by an iterator or a
//! stream runs them request by request instead, see
//! [`crate::ops::batch::BatchStream`]); the `after_*` hooks run after
//! the response, for every write DynamoDB carried out (a transaction: all of
//! them once it committed; a batch: all but those left unprocessed, even when
//! the batch is incomplete, whose error then takes precedence and the hook's
//! failure is logged). A model without `#[dynamodel(hooks)]` runs none, and
//! nothing is kept, boxed or decoded for them.
//!
//! # Read pipeline
//!
//! 0. an item of another entity ([`crate::entity`]) is not this model's:
//!    `get` and batch reads treat it as absent, queries and scans filter it
//!    out on the server;
//! 1. decoding ([`crate::Model::from_item`]: type checks, `skip` fields get
//!    `Default::default()`, undeclared attributes go to the `unknown` catch-all);
//! 2. `get = path` transforms ([`crate::Model::apply_get_transforms`]);
//! 3. the `after_load` hook ([`crate::Model::after_load_hook`]).
//!
//! (A delete's returned item and an update's `return_all_old` /
//! `return_all_new` item go through this pipeline before `after_delete` /
//! `after_update` see them.)
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

pub(crate) mod hooks;
pub(crate) mod read;
pub(crate) mod update;
pub(crate) mod write;

pub use crate::write_kind::{UpdateKind, WriteKind};
pub use read::finish_read;
pub use write::{PreparedWrite, VersionCheck};

/// Wraps a hook's error into [`crate::Error::Hook`].
fn hook_error<M: crate::Model>(
    hook: &'static str,
    source: crate::settings::hooks::BoxError,
) -> crate::Error {
    crate::Error::Hook {
        model: M::MODEL_NAME,
        hook,
        source,
    }
}
