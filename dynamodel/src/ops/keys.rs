//! Keys as batches and transactions compare them: a canonical byte string
//! per key (to refuse two actions on one item and to match DynamoDB's
//! unprocessed entries back to the caller's), and the read entries both
//! batch and transactional reads are built from.

use std::any::TypeId;

use crate::error::ReadEntry;
use crate::value::adapter::Adapter;
use crate::value::key_bytes::KeyBytes;
use crate::value::ConvertError;
use crate::{Db, Error, Item, Model, Result};

/// A byte string identifying a key within a table, for duplicate detection
/// and for matching DynamoDB's unprocessed entries back to the caller's;
/// `None` when `item` lacks one of the key attributes `names` (or holds a
/// non-key type there).
pub(crate) fn canonical_key(item: &Item, names: &[&str]) -> Option<Vec<u8>> {
    // A key has one or two attributes: found first, so that the bytes are
    // allocated once, at their size (this runs for every batch write).
    let mut values = [None; 2];
    for (value, name) in values.iter_mut().zip(names) {
        *value = Some(item.get(*name)?);
    }
    let len = values.iter().flatten().map(|v| key_value_len(v)).sum();
    let mut out = Vec::with_capacity(len);
    for value in values.iter().flatten() {
        crate::schema::key_value_bytes(&mut out, value)?;
    }
    for name in names.get(2..).unwrap_or_default() {
        crate::schema::key_value_bytes(&mut out, item.get(*name)?)?;
    }
    Some(out)
}

/// The key of entry `index` in `bytes`, where keys are stored one after
/// the other and `ends` says where each ends (it starts where the previous
/// one ends); empty past the last one. Shared by the buffers that keep many
/// canonical keys without an allocation per key (a batch's, a
/// transaction's).
pub(crate) fn key_in_buffer<'b>(bytes: &'b [u8], ends: &[usize], index: usize) -> &'b [u8] {
    let Some(&end) = ends.get(index) else {
        return &[];
    };
    let start = match index.checked_sub(1) {
        Some(previous) => ends.get(previous).copied().unwrap_or_default(),
        None => 0,
    };
    bytes.get(start..end).unwrap_or_default()
}

/// The canonical key of the key attribute values `values` (partition key
/// first): what [`canonical_key`] gives for an item holding them; empty
/// when one is of a type no key can have.
pub(crate) fn canonical_key_of_values(values: &[&crate::AttributeValue]) -> Vec<u8> {
    let mut out = Vec::with_capacity(values.iter().map(|value| key_value_len(value)).sum());
    for value in values {
        if crate::schema::key_value_bytes(&mut out, value).is_none() {
            return Vec::new();
        }
    }
    out
}

/// Writes the canonical key of model `M` (the bytes [`canonical_key`]
/// gives for an item holding its key attributes) straight from the key's
/// fields, one attribute at a time, partition key first: no attribute
/// value is built. Each attribute is refused as a write refuses it (a
/// conversion error or an absent value names it, an empty or oversized
/// string or binary fails DynamoDB's key limits); a value of a type no key
/// can have is refused as [`canonical_key`]'s `None` is, naming the key
/// attributes, once every attribute was converted (the order of errors of
/// converting the whole key first). Used by the code the derive generates
/// for [`Model::write_canonical_key`].
#[doc(hidden)]
pub struct CanonicalKeyWriter<'a, M> {
    out: &'a mut Vec<u8>,
    not_a_key: bool,
    model: std::marker::PhantomData<fn() -> M>,
}

impl<'a, M: Model> CanonicalKeyWriter<'a, M> {
    /// A writer appending to `out`.
    #[inline]
    pub fn new(out: &'a mut Vec<u8>) -> Self {
        CanonicalKeyWriter {
            out,
            not_a_key: false,
            model: std::marker::PhantomData,
        }
    }

    /// Appends the key attribute `name`, `value` as stored through `A`.
    #[inline]
    pub fn attribute<T, A: Adapter<T>>(&mut self, name: &'static str, value: &T) -> Result<()> {
        let start = self.out.len();
        match A::write_key_bytes(value, self.out) {
            Ok(KeyBytes::Written) => {
                // A tag and a 4-byte length, then the value's bytes; only
                // strings and binaries have length limits.
                let tag = self.out.get(start).copied();
                if tag == Some(crate::value::key_bytes::NUMBER) {
                    return Ok(());
                }
                let len = self.out.len().saturating_sub(start + 5);
                crate::limits::check_key_len::<M>(name, len)
            }
            Ok(KeyBytes::Absent) => Err(encode_error::<M>(name, ConvertError::Missing)),
            Ok(KeyBytes::NotAKey) => {
                self.not_a_key = true;
                Ok(())
            }
            Err(source) => Err(encode_error::<M>(name, source)),
        }
    }

    /// Ends the key: refused if an attribute held a type no key can have.
    #[inline]
    pub fn finish(self) -> Result<()> {
        if self.not_a_key {
            return Err(lacks_key_attribute::<M>());
        }
        Ok(())
    }
}

/// The key attribute `name` of model `M` did not convert.
#[cold]
fn encode_error<M: Model>(name: &str, source: ConvertError) -> Error {
    Error::Encode {
        model: M::MODEL_NAME,
        attribute: name.to_owned(),
        source,
    }
}

/// [`Model::write_canonical_key`] through [`Model::key_to_item`] (for a
/// model whose `Model` impl is written by hand): the key converted to its
/// attributes, each checked as a write checks it, then
/// [`canonical_key`] of them.
pub(crate) fn canonical_key_through_item<M: Model>(key: &M::Key, out: &mut Vec<u8>) -> Result<()> {
    let item = M::key_to_item(key)?;
    let names = KeyNames::of(&M::key_schema());
    let names = names.as_slice();
    for name in names {
        // What the write pipeline checks of these attributes (the
        // strictest key role each plays, in the table or an index).
        if let Some(value) = item.get(*name) {
            crate::limits::check_key_value::<M>(name, value)?;
        }
    }
    let canon = canonical_key(&item, names).ok_or_else(lacks_key_attribute::<M>)?;
    out.extend_from_slice(&canon);
    Ok(())
}

/// Why a key of model `M` that lacks a key attribute (or holds a value no
/// key can have there) is refused.
#[cold]
fn lacks_key_attribute<M: Model>() -> Error {
    Error::InvalidRequest {
        model: M::MODEL_NAME,
        message: format!(
            "the item lacks a key attribute ({})",
            M::key_schema().names().join(", ")
        ),
    }
}

/// The length of [`crate::schema::key_value_bytes`]'s text of `value`
/// (a type tag, a 4-byte length, the bytes), 0 for a non-key type.
fn key_value_len(value: &crate::AttributeValue) -> usize {
    use crate::AttributeValue::{B, N, S};
    match value {
        S(text) | N(text) => 5 + text.len(),
        B(bytes) => 5 + bytes.as_ref().len(),
        _ => 0,
    }
}

/// The names of a table's key attributes (partition key first), without
/// an allocation per write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct KeyNames {
    names: [&'static str; 2],
    len: usize,
}

impl KeyNames {
    /// The key attribute names of `schema`.
    pub(crate) fn of(schema: &crate::schema::KeySchema) -> Self {
        match schema.range {
            Some(range) => KeyNames {
                names: [schema.hash.name, range.name],
                len: 2,
            },
            None => KeyNames {
                names: [schema.hash.name, ""],
                len: 1,
            },
        }
    }

    /// From a list of one or two names; `None` for any other length.
    pub(crate) fn from_slice(names: &[&'static str]) -> Option<Self> {
        match *names {
            [hash] => Some(KeyNames {
                names: [hash, ""],
                len: 1,
            }),
            [hash, range] => Some(KeyNames {
                names: [hash, range],
                len: 2,
            }),
            _ => None,
        }
    }

    /// The names, partition key first.
    pub(crate) fn as_slice(&self) -> &[&'static str] {
        &self.names[..self.len]
    }
}

/// The entry for a read of `key` of model `M`, its key converted.
fn read_entry<M: Model>(db: &Db, key: M::Key) -> Result<ReadEntry> {
    let item = M::key_to_item(&key)?;
    let names = M::key_schema().names();
    let canon = canonical_key(&item, &names).ok_or_else(|| Error::InvalidRequest {
        model: M::MODEL_NAME,
        message: format!("the key lacks a key attribute ({})", names.join(", ")),
    })?;
    Ok(ReadEntry {
        model: M::MODEL_NAME,
        type_id: TypeId::of::<M>(),
        table: db.table_name::<M>(),
        key: item,
        canon,
        key_names: names,
        typed_key: Box::new(key),
        projection: None,
        ttl: M::ttl_attribute(),
    })
}

/// Adds a read of `key` to a batch or transaction read, keeping the first
/// error (with the key's position) for `send` to report.
pub(crate) fn push_read<M: Model>(
    db: &Db,
    entries: &mut Vec<ReadEntry>,
    error: &mut Option<Error>,
    operation: &'static str,
    key: M::Key,
    projection: Option<Vec<&'static str>>,
) {
    let index = entries.len();
    match read_entry::<M>(db, key) {
        Ok(entry) => entries.push(ReadEntry {
            projection,
            ..entry
        }),
        Err(err) => {
            if error.is_none() {
                *error = Some(Error::Item {
                    operation,
                    index,
                    source: Box::new(err),
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::AttributeValue;

    #[test]
    fn canonical_keys_tell_types_and_boundaries_apart() {
        let a = Item::from([
            ("h".to_owned(), AttributeValue::S("ab".into())),
            ("r".to_owned(), AttributeValue::S("c".into())),
        ]);
        let b = Item::from([
            ("h".to_owned(), AttributeValue::S("a".into())),
            ("r".to_owned(), AttributeValue::S("bc".into())),
        ]);
        let n = Item::from([
            ("h".to_owned(), AttributeValue::N("1".into())),
            ("r".to_owned(), AttributeValue::S("c".into())),
        ]);
        let s = Item::from([
            ("h".to_owned(), AttributeValue::S("1".into())),
            ("r".to_owned(), AttributeValue::S("c".into())),
        ]);
        let names = ["h", "r"];
        assert_ne!(canonical_key(&a, &names), canonical_key(&b, &names));
        assert_ne!(canonical_key(&n, &names), canonical_key(&s, &names));
        assert_eq!(canonical_key(&a, &["h", "missing"]), None);
        assert_eq!(canonical_key(&a, &["missing", "h"]), None);
    }

    #[test]
    fn canonical_keys_are_tagged_length_prefixed_values_in_name_order() {
        let item = Item::from([
            ("h".to_owned(), AttributeValue::S("ab".into())),
            ("r".to_owned(), AttributeValue::N("7".into())),
            ("b".to_owned(), AttributeValue::B(vec![1u8, 2, 3].into())),
            ("x".to_owned(), AttributeValue::Bool(true)),
        ]);
        let key = canonical_key(&item, &["h", "r"]).unwrap();
        assert_eq!(key, b"S\0\0\0\x02abN\0\0\0\x017");
        assert_eq!(key.capacity(), key.len());
        let key = canonical_key(&item, &["b"]).unwrap();
        assert_eq!(key, b"B\0\0\0\x03\x01\x02\x03");
        assert_eq!(key.capacity(), key.len());
        // Beyond two names (no DynamoDB key has more) every one still counts.
        let key = canonical_key(&item, &["r", "h", "b"]).unwrap();
        assert_eq!(key, b"N\0\0\0\x017S\0\0\0\x02abB\0\0\0\x03\x01\x02\x03");
        assert_eq!(canonical_key(&item, &["r", "h", "missing"]), None);
        assert_eq!(canonical_key(&item, &["x"]), None);
        assert_eq!(canonical_key(&item, &["h", "x"]), None);
        assert_eq!(canonical_key(&item, &[]), Some(Vec::new()));
    }

    #[test]
    fn key_values_give_the_bytes_canonical_key_gives() {
        let item = Item::from([
            ("h".to_owned(), AttributeValue::S("ab".into())),
            ("r".to_owned(), AttributeValue::N("7".into())),
            ("b".to_owned(), AttributeValue::B(vec![1u8, 2].into())),
            ("x".to_owned(), AttributeValue::Bool(true)),
        ]);
        let values = |names: &[&str]| -> Vec<&AttributeValue> {
            names.iter().map(|name| &item[*name]).collect()
        };
        for names in [&["h", "r"][..], &["b"], &["r", "b"]] {
            let expected = canonical_key(&item, names).unwrap();
            let made = canonical_key_of_values(&values(names));
            assert_eq!(made, expected);
            assert_eq!(made.capacity(), made.len());
        }
        assert_eq!(canonical_key_of_values(&values(&["h", "x"])), b"");
    }

    /// A table keyed `pk` (partition) and `sk` (sort).
    struct Keyed;

    impl Model for Keyed {
        const MODEL_NAME: &'static str = "Keyed";
        const TABLE_NAME: &'static str = "keyed";
        type Key = String;
        type Fields = ();
        fn fields() {}
        fn key_schema() -> crate::schema::KeySchema {
            use crate::schema::{KeyAttr, ScalarType};
            let attr = |name| KeyAttr {
                name,
                scalar_type: ScalarType::String,
            };
            crate::schema::KeySchema {
                hash: attr("pk"),
                range: Some(attr("sk")),
            }
        }
        fn key(&self) -> String {
            String::new()
        }
        fn key_to_item(_: &String) -> Result<Item> {
            Ok(Item::new())
        }
        fn to_item(&self) -> Result<Item> {
            Ok(Item::new())
        }
        fn from_item(_: Item) -> Result<Self> {
            Ok(Keyed)
        }
    }

    /// A value converting to whatever it holds (`None`: no attribute).
    struct Raw(std::result::Result<Option<AttributeValue>, ConvertError>);

    impl crate::Attribute for Raw {
        fn to_attribute(&self) -> std::result::Result<Option<AttributeValue>, ConvertError> {
            self.0.clone()
        }
        fn from_attribute(_: Option<AttributeValue>) -> std::result::Result<Self, ConvertError> {
            Err(ConvertError::Missing)
        }
    }

    /// The canonical key of `pk` then `sk` written by a
    /// [`CanonicalKeyWriter`] after `before`, or its error as text.
    fn written(
        pk: std::result::Result<Option<AttributeValue>, ConvertError>,
        sk: std::result::Result<Option<AttributeValue>, ConvertError>,
    ) -> std::result::Result<Vec<u8>, String> {
        use crate::value::adapter::Native;
        let mut out = b"before".to_vec();
        let mut key = CanonicalKeyWriter::<Keyed>::new(&mut out);
        let result = key
            .attribute::<Raw, Native>("pk", &Raw(pk))
            .and_then(|()| key.attribute::<Raw, Native>("sk", &Raw(sk)))
            .and_then(|()| key.finish());
        result.map_err(|err| err.to_string())?;
        assert_eq!(&out[..6], b"before", "appended to what the buffer held");
        Ok(out.split_off(6))
    }

    fn s(text: &str) -> std::result::Result<Option<AttributeValue>, ConvertError> {
        Ok(Some(AttributeValue::S(text.into())))
    }

    #[test]
    fn a_key_writer_writes_what_canonical_key_gives() {
        let binary = AttributeValue::B(vec![0u8, 1].into());
        let number = AttributeValue::N("-7.5".into());
        let item = Item::from([
            ("pk".to_owned(), binary.clone()),
            ("sk".to_owned(), number.clone()),
        ]);
        assert_eq!(
            written(Ok(Some(binary)), Ok(Some(number))).unwrap(),
            canonical_key(&item, &["pk", "sk"]).unwrap()
        );
        assert_eq!(
            written(s("ab"), s("c")).unwrap(),
            b"S\0\0\0\x02abS\0\0\0\x01c"
        );
    }

    #[test]
    fn a_key_writer_refuses_empty_and_oversized_strings_and_binaries_only() {
        let refused = written(s(""), s("c")).unwrap_err();
        assert!(
            refused.contains("Keyed") && refused.contains("pk (key)"),
            "{refused}"
        );
        assert!(refused.contains("cannot be empty"), "{refused}");
        let empty_binary = Ok(Some(AttributeValue::B(Vec::new().into())));
        let refused = written(s("a"), empty_binary).unwrap_err();
        assert!(refused.contains("sk (key)"), "{refused}");
        let refused = written(s("a"), s(&"x".repeat(1025))).unwrap_err();
        assert!(refused.contains("at most 1024 bytes"), "{refused}");
        assert!(written(s("a"), s(&"x".repeat(1024))).is_ok());
        // Numbers have no key length limit of their own (nor are they
        // ever empty text).
        let long_number = Ok(Some(AttributeValue::N("1".repeat(2000))));
        assert_eq!(written(s("a"), long_number).unwrap().len(), 6 + 5 + 2000);
    }

    #[test]
    fn a_key_writer_names_what_does_not_convert_in_key_order() {
        let refused = written(Ok(None), s("c")).unwrap_err();
        assert!(
            refused.contains("pk") && refused.contains("missing"),
            "{refused}"
        );
        let invalid = || Err(ConvertError::Invalid("no good".into()));
        let refused = written(s("a"), invalid()).unwrap_err();
        assert!(
            refused.contains("sk") && refused.contains("no good"),
            "{refused}"
        );
        let refused = written(invalid(), Ok(None)).unwrap_err();
        assert!(refused.contains("pk"), "the first attribute's: {refused}");
    }

    #[test]
    fn a_key_writer_refuses_a_non_key_type_after_converting_every_attribute() {
        let flag = || Ok(Some(AttributeValue::Bool(true)));
        let refused = written(flag(), s("c")).unwrap_err();
        assert!(
            refused.contains("lacks a key attribute (pk, sk)"),
            "{refused}"
        );
        let refused = written(s("c"), flag()).unwrap_err();
        assert!(refused.contains("lacks a key attribute"), "{refused}");
        // A later attribute that does not convert is reported first, as
        // when the whole key was converted before its bytes were written.
        let refused = written(flag(), Err(ConvertError::Missing)).unwrap_err();
        assert!(
            refused.contains("sk") && refused.contains("missing"),
            "{refused}"
        );
    }

    #[test]
    fn key_names_keep_one_or_two_names_in_order() {
        use crate::schema::{KeyAttr, KeySchema, ScalarType};
        let attr = |name| KeyAttr {
            name,
            scalar_type: ScalarType::String,
        };
        let both = KeyNames::of(&KeySchema {
            hash: attr("h"),
            range: Some(attr("r")),
        });
        assert_eq!(both.as_slice(), ["h", "r"]);
        let hash_only = KeyNames::of(&KeySchema {
            hash: attr("h"),
            range: None,
        });
        assert_eq!(hash_only.as_slice(), ["h"]);
        assert_eq!(KeyNames::from_slice(&["h", "r"]), Some(both));
        assert_eq!(KeyNames::from_slice(&["h"]), Some(hash_only));
        assert_eq!(KeyNames::from_slice(&[]), None);
        assert_eq!(KeyNames::from_slice(&["a", "b", "c"]), None);
    }

    /// A model written by hand (no derive), keyed `pk` and `sk`: its key is
    /// the item of its key attributes, and a key holding `refuse` does not
    /// convert.
    struct ByHand;

    impl Model for ByHand {
        const MODEL_NAME: &'static str = "ByHand";
        const TABLE_NAME: &'static str = "by_hand";
        type Key = Item;
        type Fields = ();
        fn fields() {}
        fn key_schema() -> crate::schema::KeySchema {
            Keyed::key_schema()
        }
        fn key(&self) -> Item {
            Item::new()
        }
        fn key_to_item(key: &Item) -> Result<Item> {
            if key.contains_key("refuse") {
                return Err(encode_error::<ByHand>("refuse", ConvertError::Missing));
            }
            Ok(key.clone())
        }
        fn to_item(&self) -> Result<Item> {
            Ok(Item::new())
        }
        fn from_item(_: Item) -> Result<Self> {
            Ok(ByHand)
        }
    }

    /// The key of [`ByHand`] holding `attributes`.
    fn hand_key(attributes: &[(&str, AttributeValue)]) -> Item {
        attributes
            .iter()
            .map(|(name, value)| ((*name).to_owned(), value.clone()))
            .collect()
    }

    fn text(value: &str) -> AttributeValue {
        AttributeValue::S(value.into())
    }

    /// [`canonical_key_through_item`] of `key`, after `before`, or its
    /// error as text.
    fn through_item(key: &Item) -> std::result::Result<Vec<u8>, String> {
        let mut out = b"before".to_vec();
        canonical_key_through_item::<ByHand>(key, &mut out).map_err(|err| err.to_string())?;
        assert_eq!(&out[..6], b"before", "appended to what the buffer held");
        Ok(out.split_off(6))
    }

    #[test]
    fn a_key_through_its_item_writes_canonical_key_and_refuses_as_a_write() {
        let key = hand_key(&[("pk", text("ab")), ("sk", AttributeValue::N("-7".into()))]);
        assert_eq!(
            through_item(&key).unwrap(),
            canonical_key(&key, &["pk", "sk"]).unwrap()
        );
        assert_eq!(through_item(&key).unwrap(), b"S\0\0\0\x02abN\0\0\0\x02-7");
        // As the derive's writer refuses them.
        let refused = through_item(&hand_key(&[("pk", text("")), ("sk", text("c"))])).unwrap_err();
        assert!(
            refused.contains("ByHand") && refused.contains("pk (key)"),
            "{refused}"
        );
        assert!(refused.contains("cannot be empty"), "{refused}");
        let long = |len: usize| hand_key(&[("pk", text("a")), ("sk", text(&"x".repeat(len)))]);
        let refused = through_item(&long(1025)).unwrap_err();
        assert!(
            refused.contains("sk (key)") && refused.contains("at most 1024 bytes"),
            "{refused}"
        );
        assert_eq!(through_item(&long(1024)).unwrap().len(), 6 + 5 + 1024);
        // A missing attribute, or one of a type no key can have.
        for key in [
            hand_key(&[("pk", text("a"))]),
            hand_key(&[("pk", text("a")), ("sk", AttributeValue::Bool(true))]),
        ] {
            let refused = through_item(&key).unwrap_err();
            assert!(
                refused.contains("ByHand") && refused.contains("lacks a key attribute (pk, sk)"),
                "{refused}"
            );
        }
        // The key's own conversion error comes first.
        let refused = through_item(&hand_key(&[("refuse", text(""))])).unwrap_err();
        assert!(refused.contains("refuse"), "{refused}");
    }

    #[test]
    fn reads_keep_their_order_projection_and_the_first_error_with_its_position() {
        let db = crate::Db::new(crate::local::client_for_endpoint("http://127.0.0.1:9"))
            .with_table_prefix("t-");
        let (mut entries, mut error) = (Vec::new(), None);
        let mut push = |key: Item, projection: Option<Vec<&'static str>>| {
            push_read::<ByHand>(&db, &mut entries, &mut error, "batch_get", key, projection);
        };
        let first = hand_key(&[("pk", text("a")), ("sk", text("1"))]);
        push(first.clone(), Some(vec!["pk", "sk", "title"]));
        push(hand_key(&[("pk", text("b"))]), None);
        push(hand_key(&[("refuse", text(""))]), None);
        let last = hand_key(&[("pk", text("c")), ("sk", text("3"))]);
        push(last.clone(), None);
        assert_eq!(entries.len(), 2, "the keys refused have no entry");
        let entry = &entries[0];
        assert_eq!((entry.model, entry.table.as_str()), ("ByHand", "t-by_hand"));
        assert_eq!(entry.type_id, TypeId::of::<ByHand>());
        assert_eq!(entry.key, first);
        assert_eq!(entry.canon, canonical_key(&first, &["pk", "sk"]).unwrap());
        assert_eq!(entry.key_names, ["pk", "sk"]);
        assert_eq!(entry.typed_key.downcast_ref::<Item>(), Some(&first));
        assert_eq!(entry.projection, Some(vec!["pk", "sk", "title"]));
        assert_eq!(entry.ttl, None);
        assert_eq!(entries[1].key, last);
        assert_eq!(entries[1].projection, None);
        // The first refusal is kept, with the position of its key.
        match error {
            Some(Error::Item {
                operation: "batch_get",
                index: 1,
                source,
            }) => assert!(
                source
                    .to_string()
                    .contains("the key lacks a key attribute (pk, sk)"),
                "{source}"
            ),
            other => panic!("{other:?}"),
        }
    }
}
