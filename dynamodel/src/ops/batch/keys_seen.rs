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

use hashbrown::hash_table::Entry;
use hashbrown::HashTable;

use crate::ops::keys::key_in_buffer as key_at;
use crate::ops::repeat_table::RepeatTable;

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

/// The keys of a batch's writes in order, each one new (the key pass of a
/// slice batch), kept so that each write, once prepared, is given its key
/// without computing it again.
///
/// Built for one pass over a known number of writes: sized once for them
/// (the table never grows, and a batch's memory is touched once), the
/// table holds only each write's position, and the keys' bytes live in one
/// buffer. A hash that matches is confirmed byte for byte.
pub(super) struct KeysInOrder {
    hasher: foldhash::fast::RandomState,
    /// The position of each write recorded, found by its key's hash.
    positions: HashTable<usize>,
    /// Every key's bytes, one after the other.
    bytes: Vec<u8>,
    /// Where each write's key ends in `bytes` (it starts where the
    /// previous one ends).
    ends: Vec<usize>,
}

impl KeysInOrder {
    /// Room for the keys of `writes` writes.
    pub(super) fn with_capacity(writes: usize) -> Self {
        KeysInOrder {
            hasher: foldhash::fast::RandomState::default(),
            positions: HashTable::with_capacity(writes),
            bytes: Vec::new(),
            ends: Vec::with_capacity(writes),
        }
    }

    /// Records `key` as the next write's; when a write before it has that
    /// key, records nothing and answers that write's position.
    pub(super) fn push(&mut self, key: &[u8]) -> Option<usize> {
        use std::hash::BuildHasher;
        let KeysInOrder {
            hasher,
            positions,
            bytes,
            ends,
        } = self;
        let hash = hasher.hash_one(key);
        let same = |index: &usize| key_at(bytes, ends, *index) == key;
        let rehash = |index: &usize| hasher.hash_one(key_at(bytes, ends, *index));
        // One probe finds the key or the slot for it.
        match positions.entry(hash, same, rehash) {
            Entry::Occupied(first) => Some(*first.get()),
            Entry::Vacant(slot) => {
                slot.insert(ends.len());
                bytes.extend_from_slice(key);
                ends.push(bytes.len());
                None
            }
        }
    }

    /// The number of keys recorded.
    pub(super) fn len(&self) -> usize {
        self.ends.len()
    }

    /// The key of write `index`; `None` past the last one recorded.
    pub(super) fn key(&self, index: usize) -> Option<&[u8]> {
        (index < self.ends.len()).then(|| key_at(&self.bytes, &self.ends, index))
    }
}

/// Slots of [`RequestKeys`]' table: more than twice the writes of a
/// request, so that a probe stops at the first or second slot.
const REQUEST_SLOTS: usize = 64;

/// The keys of the writes of one request so far, by position in it (a
/// stream's duplicate check, which covers a request only): each key
/// hashed once into a [`RepeatTable`], its bytes compared only with a
/// write whose key's hash lands on the same slot with the same tag. A
/// write costs one hash and a probe or two, not a comparison with every
/// write before it, and the table is inline: no allocation.
#[derive(Default)]
pub(super) struct RequestKeys {
    hasher: foldhash::fast::RandomState,
    table: RepeatTable<REQUEST_SLOTS>,
}

impl RequestKeys {
    /// Records `key` as that of the write at `position` in its request
    /// (`key_at` gives the keys of the writes before it; whatever was
    /// recorded at or after `position`, of another request, is forgotten);
    /// when one of those writes has that key, records nothing and answers
    /// its position. An empty key (a key attribute missing) matches none.
    pub(super) fn push<'k>(
        &mut self,
        position: usize,
        key: &[u8],
        key_at: impl Fn(usize) -> &'k [u8],
    ) -> Option<usize> {
        use std::hash::BuildHasher;
        if position == 0 {
            // A new request: the last one's keys would be forgotten too,
            // but would lengthen the probes.
            self.table.clear();
        }
        // Not recorded: a position skipped, whose empty key equals no key
        // looked up (the table's condition for skipping one).
        if key.is_empty() {
            return None;
        }
        let hash = self.hasher.hash_one(key);
        self.table.insert(position, hash, |at| key_at(at) == key)
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
        let mut keys = KeysInOrder::with_capacity(4);
        assert_eq!(keys.key(0), None);
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

    #[test]
    fn keys_in_order_past_their_capacity_and_alike_stay_apart() {
        // Sized for 2: the table grows (every key hashed again) and the
        // keys' bytes move; 10 000 keys share many short hash tags, each
        // told apart by its bytes.
        let mut keys = KeysInOrder::with_capacity(2);
        let key = |i: usize| format!("item#{i:06}").into_bytes();
        for i in 0..10_000 {
            assert_eq!(keys.push(&key(i)), None);
        }
        assert_eq!(keys.len(), 10_000);
        for i in 0..10_000 {
            assert_eq!(keys.push(&key(i)), Some(i));
            assert_eq!(keys.key(i), Some(&key(i)[..]));
        }
        assert_eq!(
            keys.push(b"item#"),
            None,
            "a prefix of a key is another key"
        );
        assert_eq!(keys.push(b"item#0000001"), None, "so is a longer one");
        assert_eq!(keys.len(), 10_002);
        assert_eq!(keys.key(10_001), Some(&b"item#0000001"[..]));
        assert_eq!(keys.key(10_002), None);
    }

    #[test]
    fn keys_in_order_sized_for_their_writes_never_grow_their_table() {
        let mut keys = KeysInOrder::with_capacity(1_000);
        let (table, ends) = (keys.positions.capacity(), keys.ends.capacity());
        assert!(table >= 1_000 && ends >= 1_000);
        for i in 0..1_000 {
            assert_eq!(keys.push(format!("{i}").as_bytes()), None);
        }
        assert_eq!(keys.positions.capacity(), table);
        assert_eq!(keys.ends.capacity(), ends);
    }

    #[test]
    fn a_request_key_seen_before_answers_its_position() {
        let mut keys = RequestKeys::default();
        let chunk: [&[u8]; 4] = [b"ab", b"cd", b"ab", b"cd"];
        let key_at = |at: usize| chunk[at];
        assert_eq!(keys.push(0, b"ab", key_at), None);
        assert_eq!(keys.push(1, b"cd", key_at), None);
        assert_eq!(keys.push(2, b"ab", key_at), Some(0));
        assert_eq!(keys.push(2, b"cd", key_at), Some(1));
        assert_eq!(keys.push(2, b"a", key_at), None, "a prefix is another key");
        assert_eq!(keys.push(3, b"abc", key_at), None, "so is a longer key");
    }

    #[test]
    fn a_request_key_is_confirmed_by_its_bytes() {
        let mut keys = RequestKeys::default();
        assert_eq!(keys.push(0, b"ab", |_| b"ab"), None);
        // Same hash, other bytes at that position: not the same key.
        assert_eq!(keys.push(1, b"ab", |_| b"zz"), None);
        assert_eq!(keys.push(2, b"ab", |at| [&b"zz"[..], b"ab"][at]), Some(1));
    }

    #[test]
    fn a_new_request_forgets_the_keys_of_the_last() {
        let mut keys = RequestKeys::default();
        let key_at = |_: usize| &b"ab"[..];
        assert_eq!(keys.push(0, b"ab", key_at), None);
        assert_eq!(keys.push(1, b"ab", key_at), Some(0));
        assert_eq!(keys.push(1, b"cd", |_| b"ab"), None);
        // Position 0 again: a new request, whose first write is new.
        assert_eq!(keys.push(0, b"ab", key_at), None);
        assert_eq!(keys.table.held(), 1, "the last request's slots are freed");
        // Even by a first write with no key.
        assert_eq!(keys.push(0, b"", key_at), None);
        assert_eq!(keys.table.held(), 0);
    }

    #[test]
    fn empty_request_keys_match_nothing_and_unrecorded_writes_are_skipped() {
        let mut keys = RequestKeys::default();
        let chunk: [&[u8]; 4] = [b"", b"", b"ab", b"ab"];
        let key_at = |at: usize| chunk[at];
        assert_eq!(keys.push(0, b"", key_at), None);
        assert_eq!(keys.push(1, b"", key_at), None, "no key, no duplicate");
        assert_eq!(keys.table.held(), 0, "an empty key is not recorded");
        // Position 2 without 1 recorded: its writes are still compared.
        let mut skipped = RequestKeys::default();
        assert_eq!(skipped.push(0, b"xy", |_| b"xy"), None);
        assert_eq!(skipped.push(2, b"ab", |at| [&b"xy"[..], b"ab"][at]), None);
        assert_eq!(skipped.push(3, b"ab", key_at), Some(2));
        assert_eq!(skipped.push(3, b"xy", |_| b"xy"), Some(0));
    }

    #[test]
    fn request_keys_past_the_table_are_compared_with_every_write() {
        // 300 writes in one request: the table fills, and positions past
        // 254 do not fit a slot; every key is still found.
        let keys: Vec<Vec<u8>> = (0..300).map(|i| format!("k{i}").into_bytes()).collect();
        let key_at = |at: usize| keys[at].as_slice();
        let mut request = RequestKeys::default();
        for (position, key) in keys.iter().enumerate() {
            assert_eq!(request.push(position, key, key_at), None);
        }
        for (position, key) in keys.iter().enumerate() {
            assert_eq!(request.push(300, key, key_at), Some(position));
        }
        assert_eq!(request.push(300, b"k300", key_at), None);
    }

    #[test]
    fn a_write_taken_back_frees_its_slot() {
        let mut keys = RequestKeys::default();
        let chunk: [&[u8]; 3] = [b"ab", b"cd", b"cd"];
        let key_at = |at: usize| chunk[at];
        assert_eq!(keys.push(0, b"ab", key_at), None);
        assert_eq!(keys.push(1, b"cd", key_at), None);
        // Position 1 again (its write taken back): "cd" is new there.
        assert_eq!(keys.push(1, b"cd", key_at), None);
        assert_eq!(keys.push(2, b"cd", key_at), Some(1));
        assert_eq!(keys.push(2, b"ab", key_at), Some(0));
    }

    #[test]
    fn a_key_out_of_its_bytes_is_empty() {
        assert_eq!(key_at(b"abcde", &[2, 5], 0), b"ab");
        assert_eq!(key_at(b"abcde", &[2, 5], 1), b"cde");
        assert_eq!(key_at(b"abcde", &[2, 5], 2), b"");
        assert_eq!(key_at(b"abc", &[2, 5], 1), b"", "bytes cut short");
        assert_eq!(key_at(b"abcde", &[3, 2], 1), b"", "ends out of order");
    }
}
