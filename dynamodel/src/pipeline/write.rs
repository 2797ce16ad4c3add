//! The whole-item write pipeline: from a model to the [`PreparedWrite`] an
//! operation sends. The order is documented in [`crate::pipeline`].

use std::marker::PhantomData;
use std::time::SystemTime;

use crate::expr::ConditionNode;
use crate::write_kind::WriteKind;
use crate::{Error, Item, Model, Result};

/// An item that went through the whole write pipeline, ready to send: the
/// encoded item (with its bumped version), why it is written, and the version
/// check the write must carry.
///
/// Every whole-item write (put, create, batch put, transaction put) consumes
/// one, so none of them re-implements a step.
pub struct PreparedWrite<M> {
    item: Item,
    /// The item's size as DynamoDB counts it, checked by the limits step.
    size: usize,
    kind: WriteKind,
    version: Option<VersionCheck>,
    /// Whether the item encodes the caller's value itself (the model has
    /// no write-time settings to apply to a copy).
    as_given: bool,
    /// The item's canonical key ([`crate::ops::keys::canonical_key`]),
    /// made from the key values the limits step picked out; empty when the
    /// item lacks a key attribute.
    canonical_key: Vec<u8>,
    model: PhantomData<fn() -> M>,
}

/// The check of a versioned write (`#[dynamodel(version)]`): the stored
/// version must still be the one the item was read with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VersionCheck {
    attribute: &'static str,
    expected: i128,
}

impl VersionCheck {
    /// The stored name of the version attribute.
    pub fn attribute(&self) -> &'static str {
        self.attribute
    }

    /// The version the item was read with (`0`: never stored); the prepared
    /// item holds this plus one.
    pub fn expected(&self) -> i128 {
        self.expected
    }

    /// The condition "the stored version is the one read" (`0`: no item).
    pub fn condition(&self) -> ConditionNode {
        crate::version::condition(self.attribute, self.expected)
    }
}

impl<M> std::fmt::Debug for PreparedWrite<M> {
    // Attribute names only: the values may be personal data.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut names: Vec<&str> = self.item.keys().map(String::as_str).collect();
        names.sort_unstable();
        f.debug_struct("PreparedWrite")
            .field("kind", &self.kind)
            .field("attributes", &names)
            .field("version", &self.version)
            .finish()
    }
}

impl<M: Model> PreparedWrite<M> {
    /// Runs `model` through the write pipeline, in the order documented in
    /// [`crate::pipeline`]: hook, defaults, `set` transforms, validation,
    /// timestamps, encoding, version, limits. The caller's value is not changed.
    pub fn new(model: &M, kind: WriteKind) -> Result<Self> {
        let (mut item, as_given) = encode(model, kind)?;
        let version =
            crate::version::bump::<M>(&mut item)?.map(|(attribute, expected)| VersionCheck {
                attribute,
                expected,
            });
        let checked = check_limits::<M>(&item)?;
        Ok(PreparedWrite {
            item,
            size: checked.size,
            kind,
            version,
            as_given,
            canonical_key: checked.canonical_key,
            model: PhantomData,
        })
    }

    /// Whether the item encodes the caller's value as given, no write-time
    /// setting (default, transform, timestamp, hook) having run: then the
    /// caller's value can be read back from it.
    pub(crate) fn encodes_value_as_given(&self) -> bool {
        self.as_given
    }

    /// The item to send.
    pub fn item(&self) -> &Item {
        &self.item
    }

    /// At least the item's size as DynamoDB counts it
    /// ([`crate::limits::item_size`]); exact for an item without numbers.
    pub fn size(&self) -> usize {
        self.size
    }

    /// Why the item is written.
    pub fn kind(&self) -> WriteKind {
        self.kind
    }

    /// The version check the write must carry, for a versioned model.
    pub fn version_check(&self) -> Option<VersionCheck> {
        self.version
    }

    /// The item to send and the version check, consuming the value.
    pub fn into_parts(self) -> (Item, Option<VersionCheck>) {
        (self.item, self.version)
    }

    /// The item's canonical key (how batches and transactions tell keys
    /// apart), taken (empty afterwards); empty when the item lacks a key
    /// attribute.
    pub(crate) fn take_canonical_key(&mut self) -> Vec<u8> {
        std::mem::take(&mut self.canonical_key)
    }
}

/// Steps 1 to 6: the model's write-time settings, then encoding; and
/// whether the item encodes `model` as given (no settings to run).
fn encode<M: Model>(model: &M, kind: WriteKind) -> Result<(Item, bool)> {
    // No copy means no write-time settings: every phase but validation is a
    // no-op, so the caller's value is validated and encoded in place.
    let Some(mut copy) = model.write_copy() else {
        validate(model)?;
        return Ok((keyed_item(model)?, true));
    };
    copy.before_save_hook(kind)
        .map_err(|source| super::hook_error::<M>("before_save", source))?;
    copy.apply_defaults();
    copy.apply_set_transforms();
    validate(&copy)?;
    copy.apply_timestamps(kind, SystemTime::now());
    Ok((keyed_item(&copy)?, false))
}

/// Encoding, then the key step: the key attributes composed from the
/// fields by key templates, rendered from the same value as the fields, and
/// the entity attribute ([`crate::entity`]).
fn keyed_item<M: Model>(model: &M) -> Result<Item> {
    let mut item = model.to_item()?;
    model.write_key_attributes(&mut item)?;
    if let Some(entity) = M::ENTITY {
        entity.write(&mut item);
    }
    Ok(item)
}

fn validate<M: Model>(model: &M) -> Result<()> {
    model.validate().map_err(|errors| Error::Validation {
        model: M::MODEL_NAME,
        errors,
    })
}

/// Step 8: refuses what DynamoDB would refuse, before sending: key values
/// of the table and of its secondary indexes, then the item's size
/// (returned).
fn check_limits<M: Model>(item: &Item) -> Result<crate::limits::CheckedItem> {
    crate::limits::checked_item::<M>(item)
}
