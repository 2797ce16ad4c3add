//! Support for generated code: the functions `#[derive(Model)]` and
//! `#[derive(Document)]` call, and nothing else calls. Generated code
//! reaches them (and every other runtime item it names) through
//! `dynamodel::__private`, never through these paths.
//!
//! | module | called by |
//! |---|---|
//! | `fields` | the generated conversions: `to_item`, `from_item`, `key_to_item`, documents' `Attribute` impls |
//! | `item_template` | the generated `to_item`: an item is a clone of a per-model map of its names, filled in place |
//! | `slots` | the generated `from_item`: one pass over the item, then each field decodes its slot |
//! | `validation` | the generated `validate` and the rules attached to typed field handles |
//! | `settings` | the generated per-phase methods: transforms and timestamps |
//! | `storage` | the local storage of `date` / `ttl` fields, checked once |
//!
//! Not public API: may change in any release.

pub(crate) mod fields;
pub(crate) mod item_template;
pub(crate) mod settings;
pub(crate) mod slots;
pub(crate) mod storage;
pub(crate) mod validation;
