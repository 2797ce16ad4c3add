//! What decodes a stream record's images: [`StreamItem`], implemented for
//! every [`Model`], and the seam through which a type standing for several
//! entities of a shared table leaves other entities' records alone.

use crate::{Error, Item, Model};

/// Whether a record belongs to the type decoding it ([`StreamItem::claim`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Claim {
    /// The record is decoded; failing to decode it is a [`super::RecordError`].
    Mine,
    /// The record holds another entity's item: it is skipped, not an error
    /// (counted in [`super::ChangeBatch::skipped`]).
    NotMine,
}

/// A type stream records decode into: every [`Model`], and types that stand
/// for several entities of one table (a collection enum), which dispatch on
/// the item.
///
/// The decoding of a record is: [`StreamItem::claim`] on its keys and image
/// (a record that is [`Claim::NotMine`] stops here), then
/// [`StreamItem::decode_image`] on each image present, then the key:
/// [`StreamItem::decode_key`] on the key attributes, else
/// [`StreamItem::key_of`] an image.
pub trait StreamItem: Sized {
    /// The primary key of a decoded item.
    type Key;

    /// The name errors give for this type (the model's name).
    const NAME: &'static str;

    /// Whether the record is this type's: `keys` are its key attributes,
    /// `image` its new image, else its old one (`None` on a `KEYS_ONLY`
    /// stream). For a model: a record whose image holds another entity
    /// ([`crate::entity`]) is [`Claim::NotMine`]; every other record is
    /// [`Claim::Mine`] (a plain model is the only one of its table, and a
    /// record that does not fit it is an error worth reporting; without an
    /// image the entity cannot be told, so the record is kept).
    fn claim(keys: &Item, image: Option<&Item>) -> Claim {
        let _ = (keys, image);
        Claim::Mine
    }

    /// Decodes an image, the way a read of the stored item would.
    fn decode_image(image: Item) -> Result<Self, Error>;

    /// Reads the key from the key attributes alone, or `None` when they do
    /// not suffice (key templates).
    fn decode_key(keys: &Item) -> Option<Result<Self::Key, Error>>;

    /// The key of a decoded item.
    fn key_of(&self) -> Self::Key;
}

impl<M: Model> StreamItem for M {
    type Key = M::Key;

    const NAME: &'static str = M::MODEL_NAME;

    /// Another entity's record is not this model's (as `get` and queries
    /// see it); without an image it is kept.
    fn claim(_keys: &Item, image: Option<&Item>) -> Claim {
        match image {
            Some(image) if !crate::entity::accepts::<M>(image) => Claim::NotMine,
            _ => Claim::Mine,
        }
    }

    /// Through the model's read pipeline ([`crate::pipeline::finish_read`]),
    /// as `get` does.
    fn decode_image(image: Item) -> Result<Self, Error> {
        crate::pipeline::finish_read::<M>(image)
    }

    fn decode_key(keys: &Item) -> Option<Result<Self::Key, Error>> {
        M::key_from_item(keys)
    }

    fn key_of(&self) -> Self::Key {
        self.key()
    }
}
