//! What each side spent on each phase, round by round, and the ratios the
//! report prints: the ratio over all rounds, its spread over the rounds
//! (so the report says itself whether a phase is within its noise), and,
//! for an A/A run, the ratio of whichever side ran first to the one that
//! ran second (the harness's position bias).

use std::ops::AddAssign;
use std::time::Duration;

use crate::usage::Events;

/// What one side spent on one phase (or several, summed).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Spent {
    /// Wall-clock time.
    pub wall: Duration,
    /// This process's CPU time (user + system, all threads).
    pub cpu: Duration,
    /// What the kernel counted meanwhile.
    pub events: Events,
}

impl AddAssign for Spent {
    fn add_assign(&mut self, other: Spent) {
        self.wall += other.wall;
        self.cpu += other.cpu;
        self.events += other.events;
    }
}

/// One phase in one round: what side A (dynamodel, or by hand in an A/A
/// run) and side B (by hand) spent, and which went first.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Pair {
    /// Side A (the library's side; in an A/A run, the first hand-written copy).
    pub a: Spent,
    /// Side B (by hand).
    pub b: Spent,
    /// Whether A ran before B in this round.
    pub a_first: bool,
}

impl Pair {
    /// A's CPU time over B's.
    pub fn cpu_ratio(&self) -> f64 {
        ratio(self.a.cpu, self.b.cpu)
    }

    /// A's wall time over B's.
    pub fn wall_ratio(&self) -> f64 {
        ratio(self.a.wall, self.b.wall)
    }

    /// (first side's, second side's) spending.
    pub fn by_position(&self) -> (Spent, Spent) {
        if self.a_first {
            (self.a, self.b)
        } else {
            (self.b, self.a)
        }
    }
}

/// `numerator / denominator`, with a zero denominator counted as a tiny
/// one (a ratio, not a division by zero).
pub fn ratio(numerator: Duration, denominator: Duration) -> f64 {
    numerator.as_secs_f64() / denominator.as_secs_f64().max(1e-9)
}

/// The smallest and largest of `values`; `None` when there are none.
pub fn spread(values: impl IntoIterator<Item = f64>) -> Option<(f64, f64)> {
    values.into_iter().fold(None, |range, value| match range {
        None => Some((value, value)),
        Some((low, high)) => Some((low.min(value), high.max(value))),
    })
}

/// A phase's rounds summed: (A's total, B's total).
pub fn totals(rounds: &[Pair]) -> (Spent, Spent) {
    rounds.iter().fold(
        (Spent::default(), Spent::default()),
        |(mut a, mut b), pair| {
            a += pair.a;
            b += pair.b;
            (a, b)
        },
    )
}

/// The CPU time of whichever side ran first over the one that ran second,
/// summed over `rounds`: about 1 when the harness has no position bias.
pub fn first_over_second_cpu(rounds: &[Pair]) -> f64 {
    let (first, second) =
        rounds
            .iter()
            .fold((Duration::ZERO, Duration::ZERO), |(first, second), pair| {
                let (f, s) = pair.by_position();
                (first + f.cpu, second + s.cpu)
            });
    ratio(first, second)
}

/// The median of `values` (the mean of the middle two for an even count);
/// `None` when there are none. Robust where a sum is not: one round slowed
/// by the machine moves the sum of every round, not the median.
pub fn median(values: impl IntoIterator<Item = f64>) -> Option<f64> {
    let mut values: Vec<f64> = values.into_iter().collect();
    values.sort_by(f64::total_cmp);
    let middle = values.len() / 2;
    match values.len() {
        0 => None,
        len if len % 2 == 1 => Some(values[middle]),
        _ => Some((values[middle - 1] + values[middle]) / 2.0),
    }
}

/// `low–high` with three decimals, or `–` when there is no spread to show
/// (a single round).
pub fn format_spread(range: Option<(f64, f64)>, rounds: usize) -> String {
    match range {
        Some((low, high)) if rounds > 1 => format!("{low:.3}–{high:.3}"),
        _ => "–".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spent(cpu_ms: u64, wall_ms: u64) -> Spent {
        Spent {
            wall: Duration::from_millis(wall_ms),
            cpu: Duration::from_millis(cpu_ms),
            events: Events::default(),
        }
    }

    #[test]
    fn ratios_divide_a_by_b() {
        let pair = Pair {
            a: spent(30, 50),
            b: spent(20, 100),
            a_first: true,
        };
        assert!((pair.cpu_ratio() - 1.5).abs() < 1e-12);
        assert!((pair.wall_ratio() - 0.5).abs() < 1e-12);
        assert!(ratio(Duration::from_millis(1), Duration::ZERO) > 1e5);
    }

    #[test]
    fn spread_is_the_smallest_and_largest() {
        assert_eq!(spread([1.2, 0.9, 1.1]), Some((0.9, 1.2)));
        assert_eq!(spread([1.0]), Some((1.0, 1.0)));
        assert_eq!(spread(std::iter::empty()), None);
    }

    #[test]
    fn totals_sum_each_side() {
        let rounds = [
            Pair {
                a: spent(10, 1),
                b: spent(20, 2),
                a_first: true,
            },
            Pair {
                a: spent(5, 3),
                b: spent(7, 4),
                a_first: false,
            },
        ];
        let (a, b) = totals(&rounds);
        assert_eq!(a, spent(15, 4));
        assert_eq!(b, spent(27, 6));
    }

    #[test]
    fn first_over_second_follows_the_order_not_the_side() {
        // A ran first in round 0 (10 vs 20), B first in round 1 (30 vs 40):
        // first = 10 + 30, second = 20 + 40.
        let rounds = [
            Pair {
                a: spent(10, 0),
                b: spent(20, 0),
                a_first: true,
            },
            Pair {
                a: spent(40, 0),
                b: spent(30, 0),
                a_first: false,
            },
        ];
        assert!((first_over_second_cpu(&rounds) - 40.0 / 60.0).abs() < 1e-12);
        assert_eq!(rounds[1].by_position(), (spent(30, 0), spent(40, 0)));
    }

    #[test]
    fn the_median_is_the_middle_value_or_the_mean_of_the_middle_two() {
        assert_eq!(median([3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median([4.0, 1.0, 3.0, 2.0]), Some(2.5));
        assert_eq!(median([1.0, 1.0, 10.0, 30.0]), Some(5.5));
        assert_eq!(median([7.0]), Some(7.0));
        assert_eq!(median(std::iter::empty()), None);
    }

    #[test]
    fn a_spread_is_shown_only_over_several_rounds() {
        assert_eq!(format_spread(Some((0.95, 1.105)), 3), "0.950–1.105");
        assert_eq!(format_spread(Some((1.0, 1.0)), 1), "–");
        assert_eq!(format_spread(None, 3), "–");
    }
}
