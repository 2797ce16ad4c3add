//! [`KeysSeen`]: the keys a batch write already holds, to refuse a second
//! write of one (DynamoDB refuses a batch request naming a key twice, and
//! which write should win is ambiguous).
//!
//! Every write of a batch passes here, so it is built for that: the keys'
//! bytes live in one buffer (no allocation per key) and the hash is
//! foldhash, several times cheaper than the standard library's SipHash on
//! keys this short. foldhash is not a cryptographic hash; it is randomly
//! seeded per set and has no known seed-independent collisions, which is
//! what an attacker supplying the keys of one batch would need. The keys
//! come from the caller's items, the set lives for one batch, and the worst
//! such an attack could do is slow that batch's duplicate check, never
//! change its answer (keys are compared byte for byte).

use hashbrown::HashTable;

/// The canonical keys ([`crate::ops::keys::canonical_key`]) of the writes
/// added to a batch, by table number, each with the position of its write.
#[derive(Default)]
pub(super) struct KeysSeen {
    hasher: foldhash::fast::RandomState,
    slots: HashTable<Slot>,
    /// Every key's bytes, one after the other.
    bytes: Vec<u8>,
}

/// One key: where its bytes are in [`KeysSeen::bytes`], and its write.
struct Slot {
    hash: u64,
    table: usize,
    start: usize,
    end: usize,
    index: usize,
}

impl KeysSeen {
    /// Records the write at position `index` of `key` on table number
    /// `table`; when a write of that key on that table was recorded
    /// before, records nothing and answers that write's position.
    pub(super) fn insert(&mut self, table: usize, key: &[u8], index: usize) -> Option<usize> {
        use std::hash::BuildHasher;
        let hash = self.hasher.hash_one((table, key));
        let bytes = &self.bytes;
        let same = |slot: &Slot| slot.table == table && bytes[slot.start..slot.end] == *key;
        if let Some(first) = self.slots.find(hash, same) {
            return Some(first.index);
        }
        let start = self.bytes.len();
        self.bytes.extend_from_slice(key);
        let slot = Slot {
            hash,
            table,
            start,
            end: self.bytes.len(),
            index,
        };
        self.slots.insert_unique(hash, slot, |slot| slot.hash);
        None
    }
}

impl KeysSeen {
    /// How many key bytes were recorded so far: a key recorded next (if
    /// new) starts here.
    fn recorded_len(&self) -> usize {
        self.bytes.len()
    }

    /// The bytes recorded in `start..end` (positions from
    /// [`KeysSeen::recorded_len`]); empty for a range out of bounds.
    fn recorded(&self, start: usize, end: usize) -> &[u8] {
        self.bytes.get(start..end).unwrap_or_default()
    }
}

/// The keys of a batch's writes in order, each one new (the key pass of a
/// slice batch), kept so that each write, once prepared, is given its key
/// without computing it again. The bytes live once, in the [`KeysSeen`].
#[derive(Default)]
pub(super) struct KeysInOrder {
    seen: KeysSeen,
    /// Where each write's key ends in the recorded bytes (it starts where
    /// the previous one ends).
    ends: Vec<usize>,
}

impl KeysInOrder {
    /// Records `key` as the next write's; when a write before it has that
    /// key, records nothing and answers that write's position.
    pub(super) fn push(&mut self, key: &[u8]) -> Option<usize> {
        let index = self.ends.len();
        if let Some(first) = self.seen.insert(0, key, index) {
            return Some(first);
        }
        self.ends.push(self.seen.recorded_len());
        None
    }

    /// The number of keys recorded.
    pub(super) fn len(&self) -> usize {
        self.ends.len()
    }

    /// The key of write `index`; `None` past the last one recorded.
    pub(super) fn key(&self, index: usize) -> Option<&[u8]> {
        let end = *self.ends.get(index)?;
        let start = match index.checked_sub(1) {
            Some(previous) => self.ends[previous],
            None => 0,
        };
        Some(self.seen.recorded(start, end))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_seen_before_answers_its_first_write() {
        let mut seen = KeysSeen::default();
        assert_eq!(seen.insert(0, b"a", 0), None);
        assert_eq!(seen.insert(0, b"b", 1), None);
        assert_eq!(seen.insert(0, b"a", 2), Some(0));
        assert_eq!(seen.insert(0, b"b", 3), Some(1));
        // The first write stays the one named, however many follow.
        assert_eq!(seen.insert(0, b"a", 4), Some(0));
    }

    #[test]
    fn keys_in_order_are_answered_by_position() {
        let mut keys = KeysInOrder::default();
        assert_eq!(keys.push(b"ab"), None);
        assert_eq!(keys.push(b""), None);
        assert_eq!(keys.push(b"cde"), None);
        assert_eq!(keys.push(b"ab"), Some(0));
        assert_eq!(keys.push(b"cde"), Some(2));
        assert_eq!(keys.len(), 3, "a repeated key is not recorded");
        assert_eq!(keys.key(0), Some(&b"ab"[..]));
        assert_eq!(keys.key(1), Some(&b""[..]));
        assert_eq!(keys.key(2), Some(&b"cde"[..]));
        assert_eq!(keys.key(3), None);
        assert_eq!(keys.push(b"f"), None);
        assert_eq!(keys.key(3), Some(&b"f"[..]));
    }

    #[test]
    fn new_keys_are_recorded_one_after_the_other() {
        let mut seen = KeysSeen::default();
        assert_eq!(seen.recorded_len(), 0);
        seen.insert(0, b"ab", 0);
        assert_eq!(seen.recorded_len(), 2);
        seen.insert(0, b"ab", 1);
        assert_eq!(
            seen.recorded_len(),
            2,
            "a key seen before is not recorded again"
        );
        seen.insert(1, b"cde", 2);
        assert_eq!(seen.recorded_len(), 5);
        assert_eq!(seen.recorded(0, 2), b"ab");
        assert_eq!(seen.recorded(2, 5), b"cde");
        assert_eq!(seen.recorded(4, 6), b"");
        assert_eq!(seen.recorded(3, 2), b"");
    }

    #[test]
    fn keys_differ_by_table_and_by_every_byte() {
        let mut seen = KeysSeen::default();
        assert_eq!(seen.insert(0, b"key", 0), None);
        assert_eq!(seen.insert(1, b"key", 1), None);
        assert_eq!(seen.insert(0, b"ke", 2), None);
        assert_eq!(seen.insert(0, b"keyy", 3), None);
        assert_eq!(seen.insert(0, b"kez", 4), None);
        assert_eq!(seen.insert(0, b"", 5), None);
        assert_eq!(seen.insert(1, b"key", 6), Some(1));
        assert_eq!(seen.insert(0, b"ke", 7), Some(2));
        assert_eq!(seen.insert(0, b"", 8), Some(5));
    }

    #[test]
    fn many_keys_survive_the_table_growing() {
        let mut seen = KeysSeen::default();
        let key = |i: usize| format!("item#{i:06}").into_bytes();
        for i in 0..10_000 {
            assert_eq!(seen.insert(i % 3, &key(i), i), None);
        }
        for i in 0..10_000 {
            assert_eq!(seen.insert(i % 3, &key(i), 10_000 + i), Some(i));
            assert_eq!(seen.insert((i + 1) % 3, &key(i), 20_000 + i), None);
        }
    }
}
