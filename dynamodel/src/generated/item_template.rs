//! A model's item built by cloning a template map, called by the generated
//! `to_item`, `to_keyed_item` (a write's item: fields, composed key
//! attributes, entity attributes) and `key_to_item`: no attribute name is
//! hashed per item or key.
//!
//! An [`Item`] is std's `HashMap` with its random SipHash keys: inserting
//! the dozen names of a model hashes each of them, for every item written.
//! Cloning a map copies its table as it is (no rehash), so [`ItemTemplate`]
//! holds, once per model, a map of every stored name (with a placeholder
//! value) and the field found at each position of its iteration order; an
//! item is a clone of it, each value filled in place.
//!
//! Guarantees:
//! - The item is exactly the one [`encode_in_order`] builds (the ordinary
//!   way: one insert per present field, in declaration order): same
//!   attributes, same values, and room for the attributes inserted after
//!   `to_item` (composed keys, entity) without growing: the clone has the
//!   template's room, and removing an absent field's entry takes none.
//!   `to_keyed_item`'s template lists the fields, then the key step's
//!   attributes in its order, then the entity's: its ordinary way is
//!   `to_item`, the key step, then `Entity::write`, the same inserts.
//! - Correctness does not rest on a clone iterating as its original does
//!   (std does not document it): every entry's name is checked against the
//!   field about to fill it, and any mismatch builds the item the ordinary
//!   way.
//! - An error is that of the first failing field in declaration order, as
//!   the ordinary way reports it, whatever the map's (per-process random)
//!   order: on any failure the item is encoded again in declaration order.

use aws_sdk_dynamodb::types::AttributeValue;

use crate::entity::Entity;
use crate::{Error, Item};

/// What encoding a field into a slot gives: `Ok(true)` when it wrote the
/// field's attribute there, `Ok(false)` when the field stores nothing (an
/// absent optional).
pub type Encoded = Result<bool, Error>;

/// Puts `value` in `slot`, which holds [`PLACEHOLDER`] when a template's
/// clone is filled: the old value is dropped only when it is not one (the
/// drop of a placeholder is nothing; this spares a call per attribute).
#[inline(always)]
pub(crate) fn fill_slot(slot: &mut AttributeValue, value: AttributeValue) {
    let old = std::mem::replace(slot, value);
    // A `match` arm that ignores the placeholder would still drop it (a
    // call): forgetting it owns nothing to leak.
    if matches!(old, AttributeValue::Null(_)) {
        std::mem::forget(old);
    } else {
        drop(old);
    }
}

/// Puts a key attribute's value (the generated `key_to_item`'s, or a key
/// template's in `to_keyed_item`) in `slot`: `Ok(true)`, or the error of
/// its conversion. Used by generated code.
#[doc(hidden)]
#[inline(always)]
pub fn encode_key_into(slot: &mut AttributeValue, value: Result<AttributeValue, Error>) -> Encoded {
    fill_slot(slot, value?);
    Ok(true)
}

/// Puts the `position`-th attribute of `entity` (its name, then its schema
/// version, as [`Entity::write`] writes them) in `slot`; `Ok(false)` when
/// it has none there. Used by generated code (`to_keyed_item`).
#[doc(hidden)]
#[inline(always)]
pub fn encode_entity_into(
    entity: Option<Entity>,
    position: usize,
    slot: &mut AttributeValue,
) -> Encoded {
    match entity.and_then(|entity| entity.value(position)) {
        Some(value) => {
            fill_slot(slot, value);
            Ok(true)
        }
        None => Ok(false),
    }
}

/// The template map of a model's stored attributes, and which field fills
/// each entry. Built once per model (a `static` of the generated
/// `to_item`). Used by generated code.
#[doc(hidden)]
#[derive(Debug)]
pub struct ItemTemplate {
    /// Every stored name, each with [`PLACEHOLDER`], sized for `capacity`.
    map: Item,
    /// The declaration index and name of the field at each position of
    /// `map`'s iteration order; empty when `map` cannot serve (names given
    /// twice).
    order: Box<[(usize, &'static str)]>,
    /// The stored names, in declaration order.
    names: &'static [&'static str],
    /// The item's capacity: its stored names and what is inserted after
    /// `to_item` (composed key attributes, entity attributes).
    capacity: usize,
}

/// The value of a template entry before its field fills it; never left in
/// an item (absent fields' entries are removed).
const PLACEHOLDER: AttributeValue = AttributeValue::Null(true);

impl ItemTemplate {
    /// The template of a model storing `names` (in declaration order) in
    /// items of `capacity` attributes.
    pub fn new(names: &'static [&'static str], capacity: usize) -> Self {
        let mut map = Item::with_capacity(capacity.max(names.len()));
        for name in names {
            map.insert((*name).to_owned(), PLACEHOLDER);
        }
        // Names are unique (the derive refuses a repeat); were one given
        // twice, the ordinary way serves every item (its last value wins).
        let order = if map.len() == names.len() {
            map.keys()
                .filter_map(|key| {
                    let mut fields = names.iter().copied().enumerate();
                    fields.find(|(_, name)| name == key)
                })
                .collect()
        } else {
            Box::default()
        };
        Self {
            map,
            order,
            names,
            capacity,
        }
    }

    /// The item whose field `i` (declaration index) `encode(i, slot)`
    /// writes: the template cloned, each entry filled in place, absent
    /// fields' entries removed. See the module's guarantees.
    ///
    /// Inlined into the generated `to_item` with its `encode`, so each
    /// field's conversion is the same inlined code as an insert of it.
    #[inline(always)]
    pub fn fill<F>(&self, mut encode: F) -> Result<Item, Error>
    where
        F: FnMut(usize, &mut AttributeValue) -> Encoded,
    {
        // A template that cannot serve (`order` empty: names given twice)
        // needs no test here: its first entry matches no position, and the
        // item is built the ordinary way below.
        let mut item = self.map.clone();
        let mut position = 0;
        let mut failed = false;
        // `retain` visits every entry once and removes those it refuses
        // without hashing: the absent fields' entries go in the same pass.
        item.retain(|name, value| {
            if failed {
                return true;
            }
            let field = match self.order.get(position) {
                Some(&(field, expected)) if same_name(name, expected) => field,
                // Not the template's order: the ordinary way, below.
                _ => {
                    failed = true;
                    return true;
                }
            };
            position += 1;
            match encode(field, value) {
                Ok(present) => present,
                // Maybe not the first failing field in declaration order:
                // the ordinary way finds that one.
                Err(_) => {
                    failed = true;
                    true
                }
            }
        });
        if failed || position != self.order.len() {
            return self.in_order(&mut encode);
        }
        Ok(item)
    }

    /// The item built the ordinary way: out of line, as it serves only a
    /// failure (and `encode` is then called through a pointer, so that its
    /// code is not inlined here a second time).
    #[cold]
    #[inline(never)]
    fn in_order(
        &self,
        encode: &mut dyn FnMut(usize, &mut AttributeValue) -> Encoded,
    ) -> Result<Item, Error> {
        encode_in_order(self.names, self.capacity, encode)
    }
}

/// Whether a template clone's entry is named `expected`: compared in line
/// (names are short: a call to `memcmp` and the registers saved around it
/// cost more), a name of 4 to 16 bytes as two overlapping words, the same
/// few instructions whatever its length (a byte loop costs ~5 a byte).
#[inline(always)]
fn same_name(name: &str, expected: &str) -> bool {
    let (a, b) = (name.as_bytes(), expected.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    if a.len() > 16 {
        return a == b;
    }
    match (a.first_chunk::<8>(), a.last_chunk::<8>()) {
        (Some(a_first), Some(a_last)) => {
            b.first_chunk::<8>().map(|b| u64::from_ne_bytes(*b))
                == Some(u64::from_ne_bytes(*a_first))
                && b.last_chunk::<8>().map(|b| u64::from_ne_bytes(*b))
                    == Some(u64::from_ne_bytes(*a_last))
        }
        _ => match (a.first_chunk::<4>(), a.last_chunk::<4>()) {
            (Some(a_first), Some(a_last)) => {
                b.first_chunk::<4>().map(|b| u32::from_ne_bytes(*b))
                    == Some(u32::from_ne_bytes(*a_first))
                    && b.last_chunk::<4>().map(|b| u32::from_ne_bytes(*b))
                        == Some(u32::from_ne_bytes(*a_last))
            }
            _ => a.iter().zip(b).all(|(a, b)| a == b),
        },
    }
}

/// The item whose field `i` (declaration index) `encode(i, slot)` writes, built
/// the ordinary way: one insert per present field in declaration order, so
/// the first failing field's error is returned. For models whose item size
/// depends on the value (a catch-all field), and the fallback of
/// [`ItemTemplate::fill`]. Used by generated code.
#[doc(hidden)]
#[inline]
pub fn encode_in_order<F>(
    names: &'static [&'static str],
    capacity: usize,
    mut encode: F,
) -> Result<Item, Error>
where
    F: FnMut(usize, &mut AttributeValue) -> Encoded,
{
    let mut item = Item::with_capacity(capacity);
    for (index, name) in names.iter().enumerate() {
        let mut slot = PLACEHOLDER;
        if encode(index, &mut slot)? {
            item.insert((*name).to_owned(), slot);
        }
    }
    Ok(item)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::ConvertError;

    const NAMES: &[&str] = &["pk", "sk", "email", "name", "age", "nickname", "tags"];

    fn value(index: usize) -> AttributeValue {
        AttributeValue::S(format!("value {index}"))
    }

    fn error(index: usize) -> Error {
        Error::Encode {
            model: "Order",
            attribute: NAMES[index].to_owned(),
            source: ConvertError::Missing,
        }
    }

    /// Every field present but those in `absent`; those in `failing` fail.
    fn encoder<'a>(
        absent: &'a [usize],
        failing: &'a [usize],
    ) -> impl FnMut(usize, &mut AttributeValue) -> Encoded + 'a {
        move |index, slot| {
            if failing.contains(&index) {
                Err(error(index))
            } else if absent.contains(&index) {
                Ok(false)
            } else {
                fill_slot(slot, value(index));
                Ok(true)
            }
        }
    }

    fn expected(absent: &[usize]) -> Item {
        NAMES
            .iter()
            .enumerate()
            .filter(|(index, _)| !absent.contains(index))
            .map(|(index, name)| ((*name).to_owned(), value(index)))
            .collect()
    }

    fn failing_attribute(result: Result<Item, Error>) -> String {
        match result {
            Err(Error::Encode { attribute, .. }) => attribute,
            other => panic!("expected an encode error, got {other:?}"),
        }
    }

    #[test]
    fn fills_every_name_with_its_value() {
        let template = ItemTemplate::new(NAMES, 9);
        let item = template.fill(encoder(&[], &[])).unwrap();
        assert_eq!(item, expected(&[]));
        // Room for the attributes inserted after `to_item`.
        assert!(item.capacity() >= 9);
        // The template is left as it was.
        assert!(template.map.values().all(|v| *v == PLACEHOLDER));
        assert_eq!(template.map.len(), NAMES.len());
    }

    #[test]
    fn a_successful_fill_encodes_each_field_once_in_the_maps_order() {
        // A template whose map order is not the declaration order, so that
        // the template's way and the ordinary way are told apart by the
        // order of the calls (one map in 5040 has the declaration order).
        let template = std::iter::repeat_with(|| ItemTemplate::new(NAMES, 7))
            .find(|t| t.order.windows(2).any(|pair| pair[0].0 > pair[1].0))
            .unwrap();
        let map_order: Vec<usize> = template.order.iter().map(|(field, _)| *field).collect();
        for absent in [&[][..], &[2], &[0, 6]] {
            let mut calls = Vec::new();
            let item = template
                .fill(|index, slot| {
                    calls.push(index);
                    encoder(absent, &[])(index, slot)
                })
                .unwrap();
            assert_eq!(item, expected(absent));
            // Filled in place, in the map's order: never built again the
            // ordinary way (which would encode every field a second time,
            // in declaration order).
            assert_eq!(calls, map_order, "absent {absent:?}");
        }
    }

    #[test]
    fn an_absent_value_leaves_no_attribute() {
        let template = ItemTemplate::new(NAMES, 7);
        let item = template.fill(encoder(&[5], &[])).unwrap();
        assert_eq!(item, expected(&[5]));
        assert!(!item.contains_key("nickname"));
        let item = template.fill(encoder(&[0, 6], &[])).unwrap();
        assert_eq!(item, expected(&[0, 6]));
    }

    #[test]
    fn a_placeholder_valued_field_is_kept() {
        // A field whose value is the placeholder itself is still present.
        let template = ItemTemplate::new(NAMES, 7);
        let item = template
            .fill(|index, slot| {
                fill_slot(
                    slot,
                    if index == 3 {
                        PLACEHOLDER
                    } else {
                        value(index)
                    },
                );
                Ok(true)
            })
            .unwrap();
        assert_eq!(item.get("name"), Some(&PLACEHOLDER));
        assert_eq!(item.len(), NAMES.len());
    }

    #[test]
    fn an_order_not_matching_the_map_falls_back() {
        let mut template = ItemTemplate::new(NAMES, 7);
        // Every position claims the field of the next one.
        let len = template.order.len();
        let shifted: Vec<_> = (0..len).map(|p| template.order[(p + 1) % len]).collect();
        template.order = shifted.into();
        let mut calls = Vec::new();
        let item = template
            .fill(|index, slot| {
                calls.push(index);
                encoder(&[5], &[])(index, slot)
            })
            .unwrap();
        assert_eq!(item, expected(&[5]));
        // No field was encoded before the mismatch; then in declaration order.
        assert_eq!(calls, (0..NAMES.len()).collect::<Vec<_>>());
    }

    #[test]
    fn an_order_too_short_falls_back() {
        let mut template = ItemTemplate::new(NAMES, 7);
        template.order = template.order[..3].into();
        let item = template.fill(encoder(&[], &[])).unwrap();
        assert_eq!(item, expected(&[]));
    }

    #[test]
    fn the_error_is_the_first_failing_field_in_declaration_order() {
        // A template visiting some field before an earlier one (each map has
        // its own random order: one in 5040 is the declaration order).
        let template = std::iter::repeat_with(|| ItemTemplate::new(NAMES, 7))
            .find(|t| t.order.windows(2).any(|pair| pair[0].0 > pair[1].0))
            .unwrap();
        // Every pair: some pair is visited later field first.
        for (first, name) in NAMES.iter().enumerate() {
            for second in first + 1..NAMES.len() {
                let attribute = failing_attribute(template.fill(encoder(&[], &[first, second])));
                assert_eq!(attribute, *name);
            }
        }
    }

    #[test]
    fn names_given_twice_build_the_ordinary_way() {
        const TWICE: &[&str] = &["a", "b", "a"];
        let template = ItemTemplate::new(TWICE, 3);
        assert!(template.order.is_empty());
        let item = template
            .fill(|index, slot| {
                fill_slot(slot, AttributeValue::N(index.to_string()));
                Ok(true)
            })
            .unwrap();
        assert_eq!(item.len(), 2);
        // The last value wins, as inserts in declaration order give.
        assert_eq!(item["a"], AttributeValue::N("2".to_owned()));
    }

    #[test]
    fn no_stored_name_gives_an_empty_item() {
        let template = ItemTemplate::new(&[], 2);
        let item = template.fill(|_, _| unreachable!()).unwrap();
        assert!(item.is_empty());
        assert!(item.capacity() >= 2);
    }

    #[test]
    fn entity_entries_hold_what_entity_write_writes() {
        let versioned = Entity {
            name: "order",
            attribute: "__entity",
            version: Some(crate::entity::SchemaVersion {
                attribute: "__v",
                value: 12,
            }),
            accept_missing: false,
        };
        let plain = Entity {
            version: None,
            ..versioned
        };
        for entity in [versioned, plain] {
            let mut written = Item::new();
            entity.write(&mut written);
            let mut filled = Item::new();
            for (position, name) in entity.attributes().enumerate() {
                let mut slot = PLACEHOLDER;
                assert!(encode_entity_into(Some(entity), position, &mut slot).unwrap());
                filled.insert(name.to_owned(), slot);
            }
            assert_eq!(filled, written);
            // Past its attributes, and without an entity: nothing.
            let mut slot = PLACEHOLDER;
            let past = entity.attributes().count();
            assert!(!encode_entity_into(Some(entity), past, &mut slot).unwrap());
            assert!(!encode_entity_into(None, 0, &mut slot).unwrap());
            assert_eq!(slot, PLACEHOLDER);
        }
    }

    #[test]
    fn a_key_entry_holds_its_value_or_gives_its_error() {
        let mut slot = PLACEHOLDER;
        assert!(encode_key_into(&mut slot, Ok(value(1))).unwrap());
        assert_eq!(slot, value(1));
        let mut slot = PLACEHOLDER;
        let err = encode_key_into(&mut slot, Err(error(0))).unwrap_err();
        assert_eq!(failing_attribute(Err(err)), "pk");
        assert_eq!(slot, PLACEHOLDER);
    }

    #[test]
    fn same_name_compares_every_byte_at_every_length() {
        let names: Vec<String> = (0..=20)
            .map(|len| (0..len).map(|i| char::from(b'a' + i as u8)).collect())
            .collect();
        for name in &names {
            assert!(same_name(name, name));
            for other in &names {
                assert_eq!(same_name(name, other), name == other, "{name} {other}");
            }
            // A change at any one byte is seen.
            for at in 0..name.len() {
                let mut changed = name.clone().into_bytes();
                changed[at] = b'_';
                let changed = String::from_utf8(changed).unwrap();
                assert!(!same_name(name, &changed), "{name} {changed}");
                assert!(!same_name(&changed, name), "{changed} {name}");
            }
        }
    }

    #[test]
    fn in_order_matches_the_template() {
        let template = ItemTemplate::new(NAMES, 7);
        for absent in [&[][..], &[5], &[0, 1, 2, 3, 4, 5, 6]] {
            let ordinary = encode_in_order(NAMES, 7, encoder(absent, &[])).unwrap();
            assert_eq!(template.fill(encoder(absent, &[])).unwrap(), ordinary);
        }
        let attribute = failing_attribute(encode_in_order(NAMES, 7, encoder(&[], &[4, 2])));
        assert_eq!(attribute, "email");
    }
}
