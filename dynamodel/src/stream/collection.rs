//! Stream records of a shared table decoded into a collection enum
//! (`#[derive(Collection)]`): each record into the member whose entity its
//! image holds. The derive implements [`StreamItem`](crate::stream::StreamItem) for the enum through
//! [`crate::collection_stream_item`], which calls the functions here.
//!
//! * A record whose image holds an entity the enum does not list (or no
//!   entity attribute) is [`Claim::NotMine`]: skipped, counted in
//!   [`super::ChangeBatch::skipped`].
//! * A record without images (a `KEYS_ONLY` stream) cannot be told apart:
//!   it is kept, with its key as stored ([`super::ChangeKey::Raw`]).
//! * An image that does not fit its member is a [`super::RecordError`]
//!   whose error names the member model, its attribute and rule.

use super::decode::Claim;
use crate::collection::Collection;
use crate::error::KeyDescription;
use crate::{AttributeValue, Error, Item, Model};

/// The entity name `image` holds, when the collection lists it.
fn listed_entity<C: Collection>(image: &Item) -> Option<&str> {
    match image.get(C::ENTITY_ATTRIBUTE) {
        Some(AttributeValue::S(entity)) if C::ENTITIES.contains(&entity.as_str()) => {
            Some(entity.as_str())
        }
        _ => None,
    }
}

/// Whether the record is one of `C`'s members': without an image it is kept.
pub fn claim<C: Collection>(image: Option<&Item>) -> Claim {
    match image {
        Some(image) if listed_entity::<C>(image).is_none() => Claim::NotMine,
        _ => Claim::Mine,
    }
}

/// Decodes `image` into the member its entity attribute names, through that
/// member's read pipeline.
pub fn decode_image<C: Collection>(image: Item) -> Result<C, Error> {
    let unlisted = |key| Error::UnlistedEntity {
        collection: C::NAME,
        key,
    };
    let Some(entity) = listed_entity::<C>(&image).map(str::to_owned) else {
        let names = <C::Anchor as Model>::key_schema().names();
        return Err(unlisted(KeyDescription::from_item(&image, &names)));
    };
    // The derive dispatches every listed entity: `None` cannot happen.
    C::decode_member(&entity, image).unwrap_or_else(|| Err(unlisted(KeyDescription::default())))
}
