//! The seeded draws behind every fault decision.
//!
//! Each draw comes from a fresh ChaCha8 generator keyed by the proxy's seed and
//! the kind of draw ([`Draw`]), on the stream numbered by the request's sequence
//! number. A draw is therefore a pure function of `(seed, sequence number,
//! kind)`: no state is shared between requests or between kinds, and ChaCha8's
//! output for a key and stream is fixed, so a seed replays the same faults.

use chacha20::ChaCha8Rng;
use rand::seq::SliceRandom;
use rand::{RngExt, SeedableRng};

/// The independent kinds of draw made for one request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Draw {
    /// Whether to throttle.
    Throttle = 1,
    /// Whether to answer a server error.
    ServerError = 2,
    /// Whether to split a batch.
    PartialBatch = 3,
    /// Whether to lose the response.
    LostResponse = 4,
    /// Which entries of a split batch to forward.
    BatchSubset = 5,
}

/// The generator of draw `draw` for the request numbered `seq`.
fn generator(seed: u64, seq: u64, draw: Draw) -> ChaCha8Rng {
    let mut key = [0u8; 32];
    key[..8].copy_from_slice(&seed.to_le_bytes());
    key[8..16].copy_from_slice(&(draw as u64).to_le_bytes());
    let mut rng = ChaCha8Rng::from_seed(key);
    rng.set_stream(seq);
    rng
}

/// Whether an event of probability `p` happens for draw `draw` of request `seq`.
/// Never for `p <= 0`, always for `p >= 1`.
pub(super) fn chance(seed: u64, seq: u64, draw: Draw, p: f64) -> bool {
    p > 0.0 && generator(seed, seq, draw).random::<f64>() < p
}

/// Which of `n >= 2` batch entries to forward: a non-empty strict subset,
/// chosen from `(seed, seq)`.
pub(super) fn keep_mask(seed: u64, seq: u64, n: usize) -> Vec<bool> {
    let mut rng = generator(seed, seq, Draw::BatchSubset);
    let keep = rng.random_range(1..n);
    let mut order: Vec<usize> = (0..n).collect();
    let (kept, _) = order.partial_shuffle(&mut rng, keep);
    let mut mask = vec![false; n];
    for &i in kept.iter() {
        mask[i] = true;
    }
    mask
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keep_mask_is_a_nonempty_strict_subset() {
        for n in 2..40 {
            for seq in 0..50 {
                let kept = keep_mask(3, seq, n).iter().filter(|k| **k).count();
                assert!((1..n).contains(&kept), "n={n} kept={kept}");
            }
        }
    }

    #[test]
    fn keep_mask_is_fixed_by_seed_and_sequence_number() {
        assert_eq!(keep_mask(3, 7, 25), keep_mask(3, 7, 25));
        assert!((0..20).any(|seq| keep_mask(3, seq, 25) != keep_mask(4, seq, 25)));
        assert!((1..20).any(|seq| keep_mask(3, seq, 25) != keep_mask(3, 0, 25)));
    }
}
