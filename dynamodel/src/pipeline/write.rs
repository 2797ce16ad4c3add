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
    /// item lacks a key attribute. `None` when the limits step made none
    /// ([`PreparedWrite::new_single`], [`PreparedWrite::new_key_known`]).
    canonical_key: Option<Vec<u8>>,
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
        Self::prepare(model, kind, true)
    }

    /// [`PreparedWrite::new`] for a single request (a put or create): the
    /// canonical key, which only batches and transactions use, is not made
    /// by the limits step of every put; a transaction that takes the put
    /// picks its key out of the item itself.
    pub(crate) fn new_single(model: &M, kind: WriteKind) -> Result<Self> {
        Self::prepare(model, kind, false)
    }

    /// [`PreparedWrite::new`] for a write whose canonical key its caller
    /// has already (a slice batch's key pass recorded it) or does not use:
    /// the limits step makes none; [`PreparedWrite::take_canonical_key`]
    /// makes it from the item if asked.
    pub(crate) fn new_key_known(model: &M, kind: WriteKind) -> Result<Self> {
        Self::prepare(model, kind, false)
    }

    fn prepare(model: &M, kind: WriteKind, with_canonical_key: bool) -> Result<Self> {
        let (mut item, as_given) = encode(model, kind)?;
        let version =
            crate::version::bump::<M>(&mut item)?.map(|(attribute, expected)| VersionCheck {
                attribute,
                expected,
            });
        let checked = check_limits::<M>(&item, with_canonical_key)?;
        Ok(PreparedWrite {
            item,
            size: checked.size,
            kind,
            version,
            as_given,
            canonical_key: with_canonical_key.then_some(checked.canonical_key),
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

    /// The item's canonical key (how a batch tells keys apart), taken;
    /// empty when the item lacks a key attribute. Its one caller is the
    /// streamed batch put, whose item [`PreparedWrite::new`] prepared: the
    /// limits step made the key. Asked again, or of an item whose limits
    /// step made none ([`PreparedWrite::new_single`],
    /// [`PreparedWrite::new_key_known`]), it is made now from the item's
    /// key attributes: the same bytes.
    pub(crate) fn take_canonical_key(&mut self) -> Vec<u8> {
        self.canonical_key.take().unwrap_or_else(|| {
            let names = crate::ops::keys::KeyNames::of(&M::key_schema());
            crate::ops::keys::canonical_key(&self.item, names.as_slice()).unwrap_or_default()
        })
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
/// the entity attribute ([`crate::entity`]), in one
/// [`Model::to_keyed_item`].
fn keyed_item<M: Model>(model: &M) -> Result<Item> {
    model.to_keyed_item()
}

fn validate<M: Model>(model: &M) -> Result<()> {
    model.validate().map_err(|errors| Error::Validation {
        model: M::MODEL_NAME,
        errors,
    })
}

/// Step 8: refuses what DynamoDB would refuse, before sending: key values
/// of the table and of its secondary indexes, then the item's size
/// (returned), with the canonical key when `with_canonical_key`.
fn check_limits<M: Model>(
    item: &Item,
    with_canonical_key: bool,
) -> Result<crate::limits::CheckedItem> {
    crate::limits::checked_item::<M>(item, with_canonical_key)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::{KeyAttr, KeySchema, ScalarType};
    use crate::AttributeValue;

    /// A model keyed `pk`/`sk`, whose sort key may be missing from its item.
    struct Pair {
        pk: &'static str,
        sk: Option<&'static str>,
    }

    impl Model for Pair {
        const MODEL_NAME: &'static str = "Pair";
        const TABLE_NAME: &'static str = "pairs";
        type Key = String;
        type Fields = ();
        fn fields() {}
        fn key_schema() -> KeySchema {
            let string = |name| KeyAttr {
                name,
                scalar_type: ScalarType::String,
            };
            KeySchema {
                hash: string("pk"),
                range: Some(string("sk")),
            }
        }
        fn key(&self) -> String {
            self.pk.to_owned()
        }
        fn key_to_item(_: &String) -> Result<Item> {
            Ok(Item::new())
        }
        fn to_item(&self) -> Result<Item> {
            let mut item = Item::from([
                ("pk".to_owned(), AttributeValue::S(self.pk.to_owned())),
                ("n".to_owned(), AttributeValue::N("7".to_owned())),
            ]);
            if let Some(sk) = self.sk {
                item.insert("sk".to_owned(), AttributeValue::S(sk.to_owned()));
            }
            Ok(item)
        }
        fn from_item(_: Item) -> Result<Self> {
            Ok(Pair { pk: "", sk: None })
        }
    }

    #[test]
    fn a_single_puts_canonical_key_is_made_only_when_taken_and_is_the_same() {
        let keyed = Pair {
            pk: "ab",
            sk: Some("c"),
        };
        let mut eager = PreparedWrite::new(&keyed, WriteKind::Put).unwrap();
        let mut single = PreparedWrite::new_single(&keyed, WriteKind::Create).unwrap();
        assert_eq!(
            single.canonical_key, None,
            "the limits step makes none for a single request"
        );
        assert_eq!(
            single.size(),
            eager.size(),
            "the limits step ran all the same"
        );
        let expected = b"S\0\0\0\x02abS\0\0\0\x01c".to_vec();
        assert_eq!(eager.canonical_key.as_deref(), Some(&expected[..]));
        assert_eq!(single.take_canonical_key(), expected, "made when taken");
        assert_eq!(eager.take_canonical_key(), expected);
        assert_eq!(
            single.take_canonical_key(),
            expected,
            "made again if asked again"
        );
        // Without its sort key the item has no canonical key, either way.
        let partial = Pair { pk: "ab", sk: None };
        let mut eager = PreparedWrite::new(&partial, WriteKind::Put).unwrap();
        let mut single = PreparedWrite::new_single(&partial, WriteKind::Put).unwrap();
        assert_eq!(eager.take_canonical_key(), b"");
        assert_eq!(single.take_canonical_key(), b"");
    }
}
