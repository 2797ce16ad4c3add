//! The generated `from_item`'s one pass over an item: every attribute is
//! moved into the slot of the model attribute it is (found by a `match` on
//! its name that the derive writes), then each field decodes its slot. A
//! nested document's `from_attribute` makes the same pass over its map
//! ([`Slots::take_members`], [`Slots::member`]).
//!
//! Guarantees: no attribute value is copied; no name is hashed (the item's
//! map is consumed, not looked up per field); an attribute the model does not
//! know goes to the catch-all field when the model has one and is dropped
//! otherwise; a field whose attribute is absent decodes from `None`, exactly
//! as a lookup that found nothing. A decode error names the model, the
//! attribute (with the nested path) and the key attributes still in their
//! slots (names and types; values only through
//! [`crate::error::KeyDescription::attributes`]), never a value.

use aws_sdk_dynamodb::types::AttributeValue;

use crate::error::KeyDescription;
use crate::value::adapter::Adapter;
use crate::value::ConvertError;
use crate::{Error, Item};

/// The attributes of one item, each in the slot of the known attribute name
/// it matched. Used by generated code.
#[doc(hidden)]
pub struct Slots<const N: usize> {
    /// The model's name, for errors.
    model: &'static str,
    values: [Option<AttributeValue>; N],
    /// The attribute name of each slot.
    names: &'static [&'static str; N],
    /// The slots of the table's key attributes, which describe the item in
    /// a decode error (the generated code decodes them last).
    key_slots: &'static [usize],
}

impl<const N: usize> Slots<N> {
    /// Moves every attribute of `item` into the slot `slot_of` gives its
    /// name; an attribute without a slot goes to `rest` when given (the
    /// model's catch-all) and is dropped otherwise.
    #[inline]
    pub fn take(
        item: Item,
        model: &'static str,
        names: &'static [&'static str; N],
        key_slots: &'static [usize],
        slot_of: impl Fn(&str) -> Option<usize>,
        mut rest: Option<&mut Item>,
    ) -> Self {
        let mut values = [const { None }; N];
        for (name, value) in item {
            match slot_of(&name).and_then(|slot| values.get_mut(slot)) {
                Some(slot) => *slot = Some(value),
                None => {
                    if let Some(rest) = rest.as_deref_mut() {
                        rest.insert(name, value);
                    }
                }
            }
        }
        Slots {
            model,
            values,
            names,
            key_slots,
        }
    }

    /// The members of a nested document's map, each moved into the slot
    /// `slot_of` gives its name; a member the document does not declare is
    /// dropped. Decode them with [`Slots::member`]: the model holding the
    /// document names itself when the error reaches its attribute.
    #[inline]
    pub fn take_members(
        map: Item,
        names: &'static [&'static str; N],
        slot_of: impl Fn(&str) -> Option<usize>,
    ) -> Self {
        Self::take(map, "", names, &[], slot_of, None)
    }

    /// No attribute at all: what `required_attributes` decodes each field
    /// from, to learn which fields refuse an absent attribute.
    #[inline]
    pub fn empty(model: &'static str, names: &'static [&'static str; N]) -> Self {
        Slots {
            model,
            values: [const { None }; N],
            names,
            key_slots: &[],
        }
    }

    /// Decodes the attribute in `slot` (taking it out) into the field's type
    /// `T` through adapter `A`; an empty slot is an absent attribute.
    #[inline]
    pub fn decode<T, A: Adapter<T>>(&mut self, slot: usize) -> Result<T, Error> {
        let value = self.values.get_mut(slot).and_then(Option::take);
        A::from_attribute(value).map_err(|source| self.decode_error(slot, source))
    }

    /// Decodes the document member in `slot` (taking it out) into its type
    /// `T` through adapter `A`; an empty slot is an absent member. An error
    /// is located at the member's name, under which the model's error
    /// names the full path (`address.zip`).
    #[inline]
    pub fn member<T, A: Adapter<T>>(&mut self, slot: usize) -> Result<T, ConvertError> {
        let value = self.values.get_mut(slot).and_then(Option::take);
        A::from_attribute(value).map_err(|source| self.member_error(slot, source))
    }

    /// The error for the member in `slot`, whose value did not decode.
    #[cold]
    #[inline(never)]
    fn member_error(&self, slot: usize, source: ConvertError) -> ConvertError {
        source.at(self.names.get(slot).copied().unwrap_or_default())
    }

    /// The error for the attribute in `slot`, whose value did not decode.
    #[cold]
    #[inline(never)]
    fn decode_error(&self, slot: usize, source: ConvertError) -> Error {
        let name = self.names.get(slot).copied().unwrap_or_default();
        let (attribute, source) = super::fields::located(name, source);
        let key = KeyDescription::from_attributes(self.key_slots.iter().filter_map(|&key| {
            let name = self.names.get(key)?;
            Some((*name, self.values.get(key).and_then(Option::as_ref)))
        }));
        Error::Decode {
            model: self.model,
            attribute,
            key,
            source,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::adapter::{Native, Opt};

    fn slot_of(name: &str) -> Option<usize> {
        ["name", "age", "pk", "sk"].iter().position(|n| *n == name)
    }

    const NAMES: &[&str; 4] = &["name", "age", "pk", "sk"];

    fn item(attributes: &[(&str, AttributeValue)]) -> Item {
        attributes
            .iter()
            .map(|(name, value)| ((*name).to_owned(), value.clone()))
            .collect()
    }

    fn s(text: &str) -> AttributeValue {
        AttributeValue::S(text.to_owned())
    }

    #[test]
    fn every_attribute_lands_in_its_slot_and_decodes_once() {
        let mut slots = Slots::take(
            item(&[
                ("name", s("ada")),
                ("age", AttributeValue::N("36".into())),
                ("pk", s("p")),
            ]),
            "Probe",
            NAMES,
            &[2, 3],
            slot_of,
            None,
        );
        assert_eq!(slots.decode::<String, Native>(0).unwrap(), "ada");
        assert_eq!(slots.decode::<u32, Native>(1).unwrap(), 36);
        assert_eq!(slots.decode::<String, Native>(2).unwrap(), "p");
        // Absent, and taken: both read as no attribute.
        assert_eq!(
            slots.decode::<Option<String>, Opt<Native>>(3).unwrap(),
            None
        );
        assert_eq!(
            slots.decode::<Option<String>, Opt<Native>>(0).unwrap(),
            None
        );
        // A slot out of range is an absent attribute, not a panic.
        assert!(slots.decode::<String, Native>(9).is_err());
    }

    #[test]
    fn unknown_attributes_go_to_the_rest_when_asked_and_are_dropped_otherwise() {
        let attributes = [("name", s("ada")), ("extra", s("x")), ("more", s("y"))];
        let mut rest = Item::new();
        let mut slots = Slots::take(
            item(&attributes),
            "Probe",
            NAMES,
            &[],
            slot_of,
            Some(&mut rest),
        );
        assert_eq!(rest, item(&attributes[1..]));
        assert_eq!(slots.decode::<String, Native>(0).unwrap(), "ada");

        let mut slots = Slots::take(item(&attributes), "Probe", NAMES, &[], slot_of, None);
        assert_eq!(slots.decode::<String, Native>(0).unwrap(), "ada");
        assert!(slots.values.iter().all(Option::is_none));
    }

    #[test]
    fn a_decode_error_names_model_attribute_and_the_key_left_in_its_slots() {
        let mut slots = Slots::take(
            item(&[("age", s("secret-value")), ("pk", s("secret-key"))]),
            "Probe",
            NAMES,
            &[2, 3],
            slot_of,
            None,
        );
        let error = slots.decode::<u32, Native>(1).unwrap_err();
        let Error::Decode {
            model,
            attribute,
            key,
            source,
        } = &error
        else {
            panic!("{error:?}");
        };
        assert_eq!((*model, attribute.as_str()), ("Probe", "age"));
        assert!(
            matches!(source, ConvertError::TypeMismatch { .. }),
            "{source:?}"
        );
        assert_eq!(
            key.attributes(),
            &[
                ("pk".to_owned(), Some(s("secret-key"))),
                ("sk".to_owned(), None)
            ]
        );
        let text = format!("{error} {error:?}");
        assert!(!text.contains("secret"), "{text}");
        assert!(text.contains("age") && text.contains("pk=S"), "{text}");
    }

    #[test]
    fn a_nested_error_names_the_full_path() {
        let map = AttributeValue::M(item(&[("q1", s("not a number"))]));
        let mut slots = Slots::take(item(&[("name", map)]), "Probe", NAMES, &[], slot_of, None);
        let error = slots
            .decode::<std::collections::HashMap<String, i64>, Native>(0)
            .unwrap_err();
        assert!(
            matches!(&error, Error::Decode { attribute, .. } if attribute == "name.q1"),
            "{error:?}"
        );
    }

    #[test]
    fn document_members_land_in_their_slots_and_undeclared_ones_are_dropped() {
        const MEMBERS: &[&str; 2] = &["zip", "city"];
        let member_slot = |name: &str| MEMBERS.iter().position(|n| *n == name);
        let map = item(&[("city", s("Paris")), ("extra", s("x")), ("zip", s("75001"))]);
        let mut slots = Slots::take_members(map, MEMBERS, member_slot);
        assert_eq!(slots.member::<String, Native>(0).unwrap(), "75001");
        assert_eq!(slots.member::<String, Native>(1).unwrap(), "Paris");
        // Both taken; the undeclared member went nowhere.
        assert!(slots.values.iter().all(Option::is_none));
        assert_eq!(
            slots.member::<Option<String>, Opt<Native>>(1).unwrap(),
            None
        );
    }

    #[test]
    fn a_member_error_is_located_at_the_member_and_below() {
        const MEMBERS: &[&str; 2] = &["zip", "geo"];
        let member_slot = |name: &str| MEMBERS.iter().position(|n| *n == name);
        let geo = AttributeValue::M(item(&[("lat", s("secret"))]));
        let map = item(&[("zip", AttributeValue::N("1".into())), ("geo", geo)]);
        let mut slots = Slots::take_members(map, MEMBERS, member_slot);
        let at = |error: ConvertError| match error {
            ConvertError::At { path, source } => (path, *source),
            other => panic!("not located: {other:?}"),
        };
        let (path, source) = at(slots.member::<String, Native>(0).unwrap_err());
        assert_eq!(path, "zip");
        assert!(matches!(
            source,
            ConvertError::TypeMismatch {
                expected: "S",
                found: "N"
            }
        ));
        let (path, _) = at(slots
            .member::<std::collections::HashMap<String, i64>, Native>(1)
            .unwrap_err());
        assert_eq!(path, "geo.lat");
        // Taken, so now absent.
        let (path, source) = at(slots.member::<String, Native>(1).unwrap_err());
        assert_eq!((path.as_str(), source), ("geo", ConvertError::Missing));
        // A slot out of range is an absent member, not a panic.
        assert!(slots.member::<String, Native>(7).is_err());
    }

    #[test]
    fn empty_slots_decode_as_absent_attributes() {
        let mut slots = Slots::empty("Probe", &["name"]);
        assert!(slots.decode::<String, Native>(0).is_err());
        let mut slots = Slots::empty("Probe", &["name"]);
        assert_eq!(
            slots.decode::<Option<String>, Opt<Native>>(0).unwrap(),
            None
        );
    }
}
