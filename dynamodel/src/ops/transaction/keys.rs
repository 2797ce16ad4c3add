//! The keys of a write transaction's actions, so that two actions on one
//! item are refused before anything is sent (DynamoDB would refuse the
//! whole transaction).
//!
//! Every action's canonical key (the bytes of
//! [`crate::ops::keys::canonical_key`]) is appended to one buffer shared
//! by the transaction: no allocation per action. A put's key is picked out
//! of its item in one pass over it, comparing names, rather than looked up
//! by name: the item's map hashes every look-up with SipHash, which cost
//! more than the pass. Two actions act on the same item when their keys
//! are the same bytes and they write to the same table; the check hashes
//! each key once (foldhash) into a small table on the stack
//! ([`crate::ops::repeat_table`]), and compares bytes only where a key
//! meets one of the same hash tag.

use std::hash::BuildHasher;

use crate::ops::keys::KeyNames;
use crate::ops::repeat_table::RepeatTable;
use crate::{AttributeValue, Item};

/// The canonical keys of a transaction's actions, in the order added.
#[derive(Default)]
pub(super) struct ActionKeys {
    /// Every key's bytes, one after the other.
    bytes: Vec<u8>,
    /// Where each action's key ends in `bytes` (it starts where the
    /// previous one ends).
    ends: Vec<usize>,
}

impl ActionKeys {
    /// Room for `actions` more keys, of about `key_len` bytes each.
    fn reserve(&mut self, actions: usize, key_len: usize) {
        self.ends.reserve(actions);
        self.bytes.reserve(actions.saturating_mul(key_len));
    }

    /// Appends the canonical key of `item` (a put's item, or the key an
    /// action acts on) under the key attributes `names`: empty when the
    /// item lacks one of them or holds a value of a type no key can have,
    /// as [`crate::ops::keys::canonical_key`]'s `None` was taken.
    pub(super) fn push_of_item(&mut self, item: &Item, names: KeyNames, room_for: usize) {
        let names = names.as_slice();
        let values = key_values(item, names);
        let start = self.bytes.len();
        if self.ends.capacity() == 0 {
            self.reserve(room_for, key_len(&values));
        }
        let complete = values
            .iter()
            .take(names.len())
            .all(|value| value.is_some_and(|value| write_key_value(&mut self.bytes, value)));
        if !complete {
            self.bytes.truncate(start);
        }
        self.ends.push(self.bytes.len());
    }

    /// Appends an empty key (an action that failed to build: `send`
    /// reports its error before any check).
    pub(super) fn push_empty(&mut self) {
        self.ends.push(self.bytes.len());
    }

    /// The key of action `index` (empty past the last one).
    pub(super) fn get(&self, index: usize) -> &[u8] {
        crate::ops::keys::key_in_buffer(&self.bytes, &self.ends, index)
    }

    /// The number of keys.
    pub(super) fn len(&self) -> usize {
        self.ends.len()
    }

    /// The first action (in order) whose key an earlier action has on the
    /// same table (`same_table` of two indexes), with the index of that
    /// earlier action; `None` when no two act on one item.
    pub(super) fn first_duplicate(
        &self,
        same_table: impl Fn(usize, usize) -> bool,
    ) -> Option<(usize, usize)> {
        // Fixed seed: keys meeting in the table are compared byte for
        // byte, and a transaction holds at most 100 actions, so colliding
        // keys cost a few comparisons at worst.
        let hasher = foldhash::fast::FixedState::default();
        first_duplicate(
            self.len(),
            |index| hasher.hash_one(self.get(index)),
            |earlier, later| self.get(earlier) == self.get(later) && same_table(earlier, later),
        )
    }
}

/// The values of the key attributes `names` (one or two; `None` for a
/// missing one) in `item`, in one pass over it that stops once both are
/// found. Each name is compared on its own, not through a loop over the
/// names: with that loop each attribute visited cost about 30
/// instructions instead of 20.
fn key_values<'a>(item: &'a Item, names: &[&str]) -> [Option<&'a AttributeValue>; 2] {
    match *names {
        [hash] => [
            item.iter()
                .find(|(name, _)| name.as_str() == hash)
                .map(|(_, value)| value),
            None,
        ],
        [hash, range] => {
            let (mut hash_value, mut range_value) = (None, None);
            for (name, value) in item {
                // The item's names are distinct: each is found once.
                if name.as_str() == hash {
                    hash_value = Some(value);
                    if range_value.is_some() {
                        break;
                    }
                } else if name.as_str() == range {
                    range_value = Some(value);
                    if hash_value.is_some() {
                        break;
                    }
                }
            }
            [hash_value, range_value]
        }
        _ => [None; 2],
    }
}

/// The length of `values`' canonical key.
fn key_len(values: &[Option<&AttributeValue>; 2]) -> usize {
    values
        .iter()
        .flatten()
        .map(|value| match value {
            AttributeValue::S(text) | AttributeValue::N(text) => 5 + text.len(),
            AttributeValue::B(bytes) => 5 + bytes.as_ref().len(),
            _ => 0,
        })
        .sum()
}

/// Appends `value` as [`crate::schema::key_value_bytes`] does; whether it
/// is of a key type.
fn write_key_value(out: &mut Vec<u8>, value: &AttributeValue) -> bool {
    crate::schema::key_value_bytes(out, value).is_some()
}

/// The first of `len` entries (in order) that has an earlier entry it is
/// the `same` as, with that earlier entry; `None` when all differ. Entries
/// that are the same have the same `hash`. One pass in order over a
/// [`RepeatTable`] of the entries seen so far, on the stack: the first
/// entry found in it is the first repeat, and what it finds is its key's
/// only earlier holder.
fn first_duplicate(
    len: usize,
    hash: impl Fn(usize) -> u64,
    same: impl Fn(usize, usize) -> bool,
) -> Option<(usize, usize)> {
    let mut seen = RepeatTable::<TABLE_SLOTS>::default();
    (0..len).find_map(|later| {
        let earlier = seen.insert(later, hash(later), |earlier| same(earlier, later))?;
        Some((later, earlier))
    })
}

/// Slots of [`first_duplicate`]'s table: more than twice the actions a
/// transaction holds (100), so that a probe stops at the first or second
/// slot.
const TABLE_SLOTS: usize = 256;

#[cfg(test)]
mod tests {
    use super::*;

    fn s(text: &str) -> AttributeValue {
        AttributeValue::S(text.to_owned())
    }

    fn item(entries: &[(&str, AttributeValue)]) -> Item {
        entries
            .iter()
            .map(|(name, value)| ((*name).to_owned(), value.clone()))
            .collect()
    }

    fn names(hash: &'static str, range: Option<&'static str>) -> KeyNames {
        use crate::schema::{KeyAttr, KeySchema, ScalarType};
        let attr = |name| KeyAttr {
            name,
            scalar_type: ScalarType::String,
        };
        KeyNames::of(&KeySchema {
            hash: attr(hash),
            range: range.map(attr),
        })
    }

    #[test]
    fn a_key_picked_out_of_an_item_is_its_canonical_key() {
        let full = item(&[
            ("name", s("ann")),
            ("pk", s("ab")),
            ("sk", AttributeValue::N("7".into())),
            ("skx", s("other")),
            ("p", s("x")),
            ("flag", AttributeValue::Bool(true)),
        ]);
        let mut keys = ActionKeys::default();
        keys.push_of_item(&full, names("pk", Some("sk")), 4);
        keys.push_of_item(&full, names("pk", None), 4);
        keys.push_of_item(&full, names("sk", Some("pk")), 4);
        // Lacking the sort key, or a value of no key type: empty.
        keys.push_of_item(&full, names("pk", Some("missing")), 4);
        keys.push_of_item(&full, names("flag", None), 4);
        keys.push_of_item(&full, names("pk", Some("flag")), 4);
        keys.push_empty();
        keys.push_of_item(&full, names("name", None), 4);
        let canonical = |names: &[&str]| crate::ops::keys::canonical_key(&full, names).unwrap();
        assert_eq!(keys.len(), 8);
        assert_eq!(keys.get(0), canonical(&["pk", "sk"]));
        assert_eq!(keys.get(0), b"S\0\0\0\x02abN\0\0\0\x017");
        assert_eq!(keys.get(1), canonical(&["pk"]));
        assert_eq!(keys.get(2), canonical(&["sk", "pk"]));
        for index in 3..7 {
            assert_eq!(keys.get(index), b"", "key #{index}");
        }
        assert_eq!(keys.get(7), b"S\0\0\0\x03ann");
        assert_eq!(keys.get(8), b"", "past the last key");
        assert_eq!(
            keys.bytes.len(),
            13 + 7 + 13 + 8,
            "an incomplete key leaves nothing"
        );
    }

    #[test]
    fn a_key_is_found_wherever_its_attributes_stand_among_many() {
        // Each map orders its attributes its own way: over many items,
        // either key attribute comes first, last, or among the others.
        let mut keys = ActionKeys::default();
        let mut expected = Vec::new();
        for round in 0..64 {
            let mut entries: Vec<(String, AttributeValue)> =
                (0..20).map(|other| (format!("a{other}"), s("v"))).collect();
            entries.push(("pk".to_owned(), s(&format!("p{round}"))));
            entries.push(("sk".to_owned(), AttributeValue::N(round.to_string())));
            let item: Item = entries.into_iter().collect();
            for names in [
                names("pk", Some("sk")),
                names("sk", Some("pk")),
                names("sk", None),
            ] {
                keys.push_of_item(&item, names, 4);
                expected.push(crate::ops::keys::canonical_key(&item, names.as_slice()).unwrap());
            }
        }
        for (index, key) in expected.iter().enumerate() {
            assert_eq!(keys.get(index), key, "key #{index}");
        }
    }

    #[test]
    fn the_first_keys_reserve_room_for_the_given_number_of_actions() {
        let mut keys = ActionKeys::default();
        keys.push_of_item(&item(&[("pk", s("abc"))]), names("pk", None), 10);
        assert!(keys.ends.capacity() >= 10);
        assert!(keys.bytes.capacity() >= 80);
        let mut none = ActionKeys::default();
        none.push_empty();
        assert_eq!(none.get(0), b"");
        assert_eq!(none.len(), 1);
    }

    #[test]
    fn two_actions_with_one_key_on_one_table_are_found() {
        let mut keys = ActionKeys::default();
        for pk in ["a", "b", "a", "c", "b"] {
            keys.push_of_item(&item(&[("pk", s(pk))]), names("pk", None), 8);
        }
        assert_eq!(keys.first_duplicate(|_, _| true), Some((2, 0)));
        // On different tables, the same key is another item.
        assert_eq!(keys.first_duplicate(|a, b| a % 2 == b % 2), Some((2, 0)));
        assert_eq!(keys.first_duplicate(|a, b| a == 1 && b == 4), Some((4, 1)));
        assert_eq!(keys.first_duplicate(|_, _| false), None);
        let mut distinct = ActionKeys::default();
        for pk in ["a", "b", "c"] {
            distinct.push_of_item(&item(&[("pk", s(pk))]), names("pk", None), 8);
        }
        assert_eq!(distinct.first_duplicate(|_, _| true), None);
    }

    /// `first_duplicate` over `keys`, hashed by `hash` of the key.
    fn find(keys: &[u8], hash: fn(u8) -> u64) -> Option<(usize, usize)> {
        first_duplicate(
            keys.len(),
            |index| hash(keys[index]),
            |a, b| keys[a] == keys[b],
        )
    }

    #[test]
    fn the_first_repeated_key_is_found_with_its_previous_holder() {
        // A hash telling keys apart, one that makes them all collide, and
        // one that collides some and orders hashes against the keys.
        let hashes: [fn(u8) -> u64; 3] = [u64::from, |_| 7, |key| u64::from(9 - key % 3)];
        for hash in hashes {
            let find = |keys: &[u8]| find(keys, hash);
            assert_eq!(find(&[]), None);
            assert_eq!(find(&[7]), None);
            assert_eq!(find(&[3, 1, 2]), None);
            assert_eq!(find(&[1, 1]), Some((1, 0)));
            // The earliest repeat wins, whatever the keys' order.
            assert_eq!(find(&[9, 5, 9, 5]), Some((2, 0)));
            assert_eq!(find(&[5, 9, 1, 9, 5]), Some((3, 1)));
            assert_eq!(find(&[1, 2, 3, 4, 5, 6, 7, 5, 2]), Some((7, 4)));
            // A key held three times: its second holder, against the first;
            // the third against the second.
            assert_eq!(find(&[4, 0, 4, 2, 4]), Some((2, 0)));
            assert_eq!(find(&[4, 0, 6, 2, 4, 4]), Some((4, 0)));
            assert_eq!(find(&[1, 4, 4, 4]), Some((2, 1)));
            assert_eq!(find(&[1, 4, 2, 4, 4]), Some((3, 1)));
        }
    }

    #[test]
    fn more_entries_than_the_table_holds_are_all_checked() {
        let repeat_last = |len: usize| {
            let keys: Vec<usize> = (0..len).chain([len / 2]).collect();
            first_duplicate(
                keys.len(),
                |index| keys[index] as u64,
                |a, b| keys[a] == keys[b],
            )
        };
        for len in [TABLE_SLOTS / 2, 254, 255, 256, 1000] {
            assert_eq!(repeat_last(len), Some((len, len / 2)), "{len} entries");
        }
        let distinct: Vec<u64> = (0..1000).collect();
        assert_eq!(
            first_duplicate(1000, |index| distinct[index], |a, b| a == b),
            None
        );
        // Hashes differing only in their high bits all meet in one slot.
        let high = |key: u8| u64::from(key) << 56;
        assert_eq!(find(&[3, 1, 2, 1], high), Some((3, 1)));
        assert_eq!(find(&[3, 1, 2, 5], high), None);
    }

    #[test]
    fn among_colliding_hashes_only_the_same_entries_are_paired() {
        // All collide: the repeat of 3 is told apart from the entries
        // between that differ.
        assert_eq!(find(&[3, 8, 3, 6, 3], |_| 1), Some((2, 0)));
        assert_eq!(find(&[8, 6, 3, 6, 3], |_| 1), Some((3, 1)));
        assert_eq!(find(&[8, 3, 6, 9, 3], |_| 1), Some((4, 1)));
        // Two runs: the earlier repeat wins even from the later run.
        assert_eq!(
            find(&[1, 2, 5, 6, 5, 1], |key| u64::from(key < 4)),
            Some((4, 2))
        );
        assert_eq!(
            find(&[5, 1, 2, 6, 1, 5], |key| u64::from(key < 4)),
            Some((4, 1))
        );
    }
}
