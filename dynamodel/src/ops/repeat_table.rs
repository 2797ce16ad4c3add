//! [`RepeatTable`]: finds, among the entries of a short sequence (the
//! writes of one batch request, the actions of one transaction), an
//! earlier entry with the key of the one added, without comparing it with
//! every entry before it and without allocating.
//!
//! Guarantees:
//! * **Exact.** The table only narrows down which earlier entries to ask
//!   about; the caller's `same` decides. An entry is reported only when
//!   `same` says it holds the key, and an earlier entry recorded (not
//!   forgotten) that does is always found (equal keys must have equal
//!   hashes), however the hashes collide: colliding keys, even chosen by
//!   an attacker, cost probes (at most `SLOTS` per entry), never a wrong
//!   answer.
//! * **No allocation**, ever: the table is `SLOTS` two-byte slots, inline
//!   (on the stack, or inside its owner).
//! * **Any length.** Positions past 254, or an entry meeting a table with
//!   no free slot, are checked against every earlier position instead
//!   (quadratic, cold; not reached by requests of 25 writes or
//!   transactions of 100 actions). A table once full stays full until the
//!   entries it holds are forgotten, with those past them: an entry left
//!   out of it is never missed.
//!
//! The hash is the caller's: equal keys must hash alike; the table's slot
//! is picked by the hash's low bits and its top byte is kept as a tag, so
//! that `same` (a comparison of bytes) is asked almost only about the
//! entry that holds the key.

/// A set of positions in a sequence of keyed entries, found by their key's
/// hash: an open-addressing table of `SLOTS` slots (a power of two, at
/// most 256), each 0 when free, else an entry's position plus one (low
/// byte) and its hash's top byte (high byte).
///
/// Adding the entry at a position forgets every entry recorded at that
/// position or after it (their slots count as free): a sequence whose
/// last entries were taken back goes on from where it stands, with no
/// clean-up. [`RepeatTable::clear`] forgets everything (a new sequence,
/// with shorter probes than over a table of forgotten entries).
pub(crate) struct RepeatTable<const SLOTS: usize> {
    slots: [u16; SLOTS],
}

impl<const SLOTS: usize> Default for RepeatTable<SLOTS> {
    fn default() -> Self {
        RepeatTable { slots: [0; SLOTS] }
    }
}

impl<const SLOTS: usize> RepeatTable<SLOTS> {
    /// The slot index within the table of a hash (its low bits) and, from
    /// a compile-time check, that `SLOTS` is a power of two a one-byte
    /// position can fill.
    const MASK: usize = {
        assert!(SLOTS.is_power_of_two() && SLOTS <= 256);
        SLOTS - 1
    };

    /// Forgets every entry recorded.
    pub(crate) fn clear(&mut self) {
        self.slots = [0; SLOTS];
    }

    /// The number of slots taken (by entries recorded or forgotten).
    #[cfg(test)]
    pub(crate) fn held(&self) -> usize {
        self.slots.iter().filter(|slot| **slot != 0).count()
    }

    /// Records the entry at `position`, whose key hashes to `hash`, unless
    /// an entry recorded before it (at a smaller position) has that key as
    /// `same` tells of that entry's position: then records nothing and
    /// answers that position. Positions not recorded (skipped) must be
    /// ones `same` answers `false` for: past the table, every earlier
    /// position is asked.
    pub(crate) fn insert(
        &mut self,
        position: usize,
        hash: u64,
        mut same: impl FnMut(usize) -> bool,
    ) -> Option<usize> {
        // Position plus one, so that 0 marks a free slot.
        let Some(stored) = u8::try_from(position).ok().and_then(|p| p.checked_add(1)) else {
            return find_by_asking(position, same);
        };
        let tag = hash.to_be_bytes()[0];
        let entry = u16::from_le_bytes([stored, tag]);
        // Truncated on 32-bit targets: only the low bits are used.
        let mut slot = hash as usize;
        for _ in 0..SLOTS {
            slot &= Self::MASK;
            let [held, held_tag] = self.slots[slot].to_le_bytes();
            // The position held; 255 when free, past any position here.
            let earlier = usize::from(held.wrapping_sub(1));
            // Free, or an entry at or after `position`, forgotten.
            if earlier >= position {
                self.slots[slot] = entry;
                return None;
            }
            if held_tag == tag && same(earlier) {
                return Some(earlier);
            }
            slot += 1;
        }
        find_by_asking(position, same)
    }
}

/// [`RepeatTable::insert`] past what the table holds: the first position
/// before `position` that `same` holds for, each asked in turn.
#[cold]
#[inline(never)]
fn find_by_asking(position: usize, mut same: impl FnMut(usize) -> bool) -> Option<usize> {
    (0..position).find(|at| same(*at))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Inserts the keys of `keys` at their positions, each hashed by
    /// `hash`: what each insert answered.
    fn inserts<const SLOTS: usize>(
        table: &mut RepeatTable<SLOTS>,
        keys: &[u32],
        hash: impl Fn(u32) -> u64,
    ) -> Vec<Option<usize>> {
        (0..keys.len())
            .map(|at| table.insert(at, hash(keys[at]), |earlier| keys[earlier] == keys[at]))
            .collect()
    }

    /// The hashes tests use: keys told apart, all in one slot with one tag,
    /// all in one slot with tags telling them apart, slots and tags in the
    /// opposite order of the keys.
    const HASHES: [fn(u32) -> u64; 4] = [
        |key| u64::from(key).wrapping_mul(0x9e37_79b9_7f4a_7c15),
        |_| 7,
        |key| u64::from(key) << 56,
        |key| u64::from(u32::MAX - key) | u64::from(key % 3) << 56,
    ];

    #[test]
    fn an_earlier_key_is_found_with_its_position_and_not_recorded_twice() {
        for hash in HASHES {
            let mut table = RepeatTable::<64>::default();
            let keys = [5, 9, 5, 1, 9, 9, 5, 2];
            let found = inserts(&mut table, &keys, hash);
            let expected = [None, None, Some(0), None, Some(1), Some(1), Some(0), None];
            assert_eq!(found, expected);
            // Recorded: 5, 9, 1, 2; the repeats left no slot.
            let held = table.slots.iter().filter(|slot| **slot != 0).count();
            assert_eq!(held, 4);
        }
    }

    #[test]
    fn the_caller_decides_what_is_the_same() {
        for hash in HASHES {
            let mut table = RepeatTable::<64>::default();
            assert_eq!(table.insert(0, hash(1), |_| unreachable!()), None);
            // Same hash, not the same key.
            assert_eq!(table.insert(1, hash(1), |_| false), None);
            // Both recorded: the second is found when it is the one.
            assert_eq!(table.insert(2, hash(1), |at| at == 1), Some(1));
            assert_eq!(table.insert(2, hash(1), |at| at == 0), Some(0));
        }
    }

    #[test]
    fn only_the_tag_of_the_hash_decides_whom_to_ask() {
        let mut table = RepeatTable::<64>::default();
        assert_eq!(table.insert(0, 0x0100_0000_0000_0005, |_| true), None);
        // One slot (5), another tag: not asked, the probe goes on.
        assert_eq!(table.insert(1, 0x0200_0000_0000_0005, |_| true), None);
        assert_eq!(table.slots[5], 0x0101);
        assert_eq!(table.slots[6], 0x0202);
        // Same tag, a slot met on the way: asked.
        assert_eq!(
            table.insert(2, 0x0200_0000_0000_0045, |at| at == 1),
            Some(1)
        );
        // Slot 7 is free: a third key of tag 2 lands there.
        assert_eq!(table.insert(2, 0x0200_0000_0000_0005, |_| false), None);
        assert_eq!(table.slots[7], 0x0203);
    }

    #[test]
    fn probes_wrap_around_the_end_of_the_table() {
        let mut table = RepeatTable::<8>::default();
        for position in 0..3 {
            assert_eq!(table.insert(position, 6, |_| false), None);
        }
        assert_eq!(table.slots[6..], [1, 2]);
        assert_eq!(table.slots[0], 3);
        assert_eq!(table.insert(3, 7, |at| at == 2), Some(2));
    }

    #[test]
    fn an_entry_taken_back_is_forgotten_and_its_slot_free() {
        for hash in HASHES {
            let mut table = RepeatTable::<64>::default();
            assert_eq!(inserts(&mut table, &[1, 2, 3], hash), [None; 3]);
            // Position 1 again: 2 and 3 forgotten.
            assert_eq!(table.insert(1, hash(3), |_| false), None);
            assert_eq!(table.insert(2, hash(2), |at| at == 2), None);
            assert_eq!(table.insert(3, hash(3), |at| at == 1), Some(1));
            assert_eq!(table.insert(3, hash(1), |at| at == 0), Some(0));
            // At position 0, everything is forgotten.
            assert_eq!(table.insert(0, hash(1), |_| true), None);
            // Only the new entry at position 0 may be asked about.
            let only_the_new = |at| {
                assert_eq!(at, 0, "a forgotten entry asked about");
                false
            };
            assert_eq!(table.insert(1, hash(2), only_the_new), None);
        }
    }

    #[test]
    fn clear_forgets_every_entry() {
        let mut table = RepeatTable::<16>::default();
        for position in 0..10 {
            assert_eq!(table.insert(position, position as u64, |_| false), None);
        }
        table.clear();
        assert_eq!(table.slots, [0; 16]);
        assert_eq!(table.insert(10, 3, |_| true), None);
    }

    #[test]
    fn positions_past_the_table_are_checked_against_every_earlier_one() {
        let keys: Vec<u32> = (0..300).collect();
        for hash in HASHES {
            let mut table = RepeatTable::<64>::default();
            assert_eq!(inserts(&mut table, &keys, hash), vec![None; 300]);
            for (position, key) in keys.iter().enumerate() {
                let same = |at| keys[at] == *key;
                assert_eq!(table.insert(300, hash(*key), same), Some(position));
                // Past a full table, or a position no slot can hold.
                assert_eq!(
                    table.insert(254, hash(*key), same),
                    Some(position).filter(|p| *p < 254)
                );
                assert_eq!(
                    table.insert(255, hash(*key), same),
                    Some(position).filter(|p| *p < 255)
                );
            }
            assert_eq!(table.insert(300, hash(300), |_| false), None);
        }
    }

    #[test]
    fn a_table_holds_positions_up_to_254() {
        let mut table = RepeatTable::<256>::default();
        let keys: Vec<u32> = (0..256).collect();
        assert_eq!(inserts(&mut table, &keys, u64::from), vec![None; 256]);
        // 0..=254 in the table, at their keys' slots; 255 does not fit.
        for position in 0..255 {
            assert_eq!(usize::from(table.slots[position]), position + 1);
        }
        assert_eq!(table.slots[255], 0);
        // Not even the tag of a position past 254 is written.
        let mut small = RepeatTable::<64>::default();
        assert_eq!(small.insert(255, 0xff00_0000_0000_0000, |_| false), None);
        assert_eq!(small.held(), 0);
        // Found by the table alone: `same` asked once, about the holder
        // (at position 254, the last the table takes).
        for position in 0..254 {
            let mut asked = Vec::new();
            let found = table.insert(254, position as u64, |at| {
                asked.push(at);
                at == position
            });
            assert_eq!((found, asked), (Some(position), vec![position]));
        }
        assert_eq!(table.insert(usize::MAX, 7, |at| at == 255), Some(255));
    }
}
