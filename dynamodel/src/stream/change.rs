//! One decoded stream record: [`Change`], and the small types describing it.

use std::fmt;
use std::time::SystemTime;

use super::decode::StreamItem;
use super::sequence::SequenceNumber;
use crate::redact::RedactedItem;

/// What happened to the item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ChangeKind {
    /// A new item was written (`INSERT`).
    Insert,
    /// An existing item was changed (`MODIFY`).
    Modify,
    /// The item was deleted (`REMOVE`), including by TTL.
    Remove,
}

impl ChangeKind {
    /// Parses a record's event name (`INSERT`, `MODIFY`, `REMOVE`).
    pub fn from_event_name(name: &str) -> Option<Self> {
        match name {
            "INSERT" => Some(ChangeKind::Insert),
            "MODIFY" => Some(ChangeKind::Modify),
            "REMOVE" => Some(ChangeKind::Remove),
            _ => None,
        }
    }
}

/// What a stream's records carry besides the keys (its view type).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ViewType {
    /// Only the key attributes.
    KeysOnly,
    /// The item as it is after the change.
    NewImage,
    /// The item as it was before the change.
    OldImage,
    /// Both.
    NewAndOldImages,
}

impl ViewType {
    /// Parses a view type's name (`KEYS_ONLY`, `NEW_IMAGE`, ...).
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "KEYS_ONLY" => Some(ViewType::KeysOnly),
            "NEW_IMAGE" => Some(ViewType::NewImage),
            "OLD_IMAGE" => Some(ViewType::OldImage),
            "NEW_AND_OLD_IMAGES" => Some(ViewType::NewAndOldImages),
            _ => None,
        }
    }
}

/// Which image of a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Image {
    /// The item after the change (`NewImage`).
    New,
    /// The item before the change (`OldImage`).
    Old,
}

impl fmt::Display for Image {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Image::New => "new image",
            Image::Old => "old image",
        })
    }
}

/// The key of a changed item: typed when it can be known (see
/// [the module documentation](super#keys)), else the key attributes as
/// stored. `Debug` shows no value.
#[derive(Clone, PartialEq)]
pub enum ChangeKey<K> {
    /// The model's key.
    Typed(K),
    /// The key attributes, when the key cannot be read back from them and
    /// the record has no image to take it from.
    Raw(RedactedItem),
}

impl<K> ChangeKey<K> {
    /// The typed key, if known.
    pub fn typed(&self) -> Option<&K> {
        match self {
            ChangeKey::Typed(key) => Some(key),
            ChangeKey::Raw(_) => None,
        }
    }
}

impl<K> fmt::Debug for ChangeKey<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ChangeKey::Typed(_) => f.write_str("Typed(<redacted>)"),
            ChangeKey::Raw(keys) => f.debug_tuple("Raw").field(keys).finish(),
        }
    }
}

/// One stream record decoded into `T` (a model, see [`StreamItem`]).
///
/// Equal whether it came from a Lambda event or from the Streams API.
/// `Debug` shows the kind, position, ids, key attribute names and which
/// images are present, never their values.
pub struct Change<T: StreamItem> {
    pub(super) position: usize,
    pub(super) kind: ChangeKind,
    pub(super) event_id: Option<String>,
    pub(super) sequence_number: Option<String>,
    pub(super) approximate_creation_time: Option<SystemTime>,
    pub(super) view_type: Option<ViewType>,
    pub(super) key: ChangeKey<T::Key>,
    pub(super) raw_keys: RedactedItem,
    pub(super) new_image: Option<T>,
    pub(super) old_image: Option<T>,
}

impl<T: StreamItem> Change<T> {
    /// Insert, modify or remove.
    pub fn kind(&self) -> ChangeKind {
        self.kind
    }

    /// The record's position in its batch (from 0).
    pub fn position(&self) -> usize {
        self.position
    }

    /// The record's event id (`eventID`).
    pub fn event_id(&self) -> Option<&str> {
        self.event_id.as_deref()
    }

    /// The record's sequence number: increasing within a shard (as decimal
    /// text of up to 40 digits, so compare lengths before text), and the
    /// identifier of Lambda's partial batch response.
    pub fn sequence_number(&self) -> Option<&str> {
        self.sequence_number.as_deref()
    }

    /// The record's sequence number padded so that text order is numeric
    /// order (see [`SequenceNumber`]): the marker for
    /// [`Update::apply_once`](crate::ops::Update::apply_once). `None` when
    /// the record has none, or one that is not decimal digits.
    pub fn sequence(&self) -> Option<SequenceNumber> {
        SequenceNumber::new(self.sequence_number.as_deref()?)
    }

    /// When the change was made, approximately (DynamoDB rounds down to the
    /// second).
    pub fn approximate_creation_time(&self) -> Option<SystemTime> {
        self.approximate_creation_time
    }

    /// The stream's view type, when the record names it.
    pub fn view_type(&self) -> Option<ViewType> {
        self.view_type
    }

    /// The changed item's key.
    pub fn key(&self) -> &ChangeKey<T::Key> {
        &self.key
    }

    /// The key attributes as stored (values reachable, `Debug` redacted).
    pub fn raw_keys(&self) -> &RedactedItem {
        &self.raw_keys
    }

    /// The item after the change: present on inserts and modifications of
    /// `NEW_IMAGE` and `NEW_AND_OLD_IMAGES` streams.
    pub fn new_image(&self) -> Option<&T> {
        self.new_image.as_ref()
    }

    /// The item before the change: present on modifications and removals of
    /// `OLD_IMAGE` and `NEW_AND_OLD_IMAGES` streams.
    pub fn old_image(&self) -> Option<&T> {
        self.old_image.as_ref()
    }

    /// The new image, else the old one.
    pub fn latest_image(&self) -> Option<&T> {
        self.new_image.as_ref().or(self.old_image.as_ref())
    }

    /// Takes the images out: `(old, new)`.
    pub fn into_images(self) -> (Option<T>, Option<T>) {
        (self.old_image, self.new_image)
    }
}

impl<T> Clone for Change<T>
where
    T: StreamItem + Clone,
    T::Key: Clone,
{
    fn clone(&self) -> Self {
        Change {
            position: self.position,
            kind: self.kind,
            event_id: self.event_id.clone(),
            sequence_number: self.sequence_number.clone(),
            approximate_creation_time: self.approximate_creation_time,
            view_type: self.view_type,
            key: self.key.clone(),
            raw_keys: self.raw_keys.clone(),
            new_image: self.new_image.clone(),
            old_image: self.old_image.clone(),
        }
    }
}

impl<T> PartialEq for Change<T>
where
    T: StreamItem + PartialEq,
    T::Key: PartialEq,
{
    fn eq(&self, other: &Self) -> bool {
        self.position == other.position
            && self.kind == other.kind
            && self.event_id == other.event_id
            && self.sequence_number == other.sequence_number
            && self.approximate_creation_time == other.approximate_creation_time
            && self.view_type == other.view_type
            && self.key == other.key
            && self.raw_keys == other.raw_keys
            && self.new_image == other.new_image
            && self.old_image == other.old_image
    }
}

/// Shows whether an image is present and of which type, not its value.
struct Presence(bool, &'static str);

impl fmt::Debug for Presence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            true => write!(f, "Some(<{}>)", self.1),
            false => f.write_str("None"),
        }
    }
}

impl<T: StreamItem> fmt::Debug for Change<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Change")
            .field("kind", &self.kind)
            .field("position", &self.position)
            .field("event_id", &self.event_id)
            .field("sequence_number", &self.sequence_number)
            .field("approximate_creation_time", &self.approximate_creation_time)
            .field("view_type", &self.view_type)
            .field("key", &self.key)
            .field("raw_keys", &self.raw_keys)
            .field("new_image", &Presence(self.new_image.is_some(), T::NAME))
            .field("old_image", &Presence(self.old_image.is_some(), T::NAME))
            .finish()
    }
}
