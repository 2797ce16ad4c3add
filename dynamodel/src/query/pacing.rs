//! Pacing a query or scan to a capacity budget
//! (`.max_capacity_per_second(units)`): after each page that has a next
//! one, the read waits as long as the page's consumed capacity takes at
//! that rate, so that over the read the capacity spent per second stays at
//! or under the budget (PynamoDB's rate-limited scan).
//!
//! The wait counts from the answer, not from the request: the request's
//! own time is not credited, so the read runs a little under the budget
//! rather than over it. A parallel scan (`.segments(n)`) gives each
//! segment `units / n`.

use std::time::Duration;

/// A capacity budget in units per second, checked to be positive and finite.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Pace {
    units_per_second: f64,
}

impl Pace {
    /// `None` unless `units_per_second` is a finite number above zero.
    pub(crate) fn new(units_per_second: f64) -> Option<Self> {
        (units_per_second.is_finite() && units_per_second > 0.0)
            .then_some(Pace { units_per_second })
    }

    /// The share of one of `segments` segments read concurrently.
    pub(crate) fn per_segment(self, segments: i32) -> Self {
        let segments = f64::from(segments.max(1));
        Pace {
            units_per_second: self.units_per_second / segments,
        }
    }

    /// How long to wait after a page that consumed `units`: `units` spent
    /// at the budget's rate. Nothing for a page that reports no capacity
    /// (or a nonsensical one); an overlong wait saturates.
    pub(crate) fn delay(&self, units: f64) -> Duration {
        // NaN and non-positive: no wait.
        if units.is_nan() || units <= 0.0 {
            return Duration::ZERO;
        }
        Duration::try_from_secs_f64(units / self.units_per_second).unwrap_or(Duration::MAX)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_positive_finite_budgets_are_accepted() {
        assert!(Pace::new(0.0).is_none());
        assert!(Pace::new(-1.0).is_none());
        assert!(Pace::new(f64::NAN).is_none());
        assert!(Pace::new(f64::INFINITY).is_none());
        assert_eq!(Pace::new(0.5).map(|p| p.units_per_second), Some(0.5));
        assert_eq!(
            Pace::new(f64::MIN_POSITIVE).map(|p| p.units_per_second),
            Some(f64::MIN_POSITIVE)
        );
    }

    #[test]
    fn the_delay_is_the_units_spent_at_the_rate() {
        let pace = Pace::new(4.0).unwrap();
        assert_eq!(pace.delay(2.0), Duration::from_millis(500));
        assert_eq!(pace.delay(4.0), Duration::from_secs(1));
        assert_eq!(pace.delay(10.0), Duration::from_millis(2_500));
        let slow = Pace::new(0.5).unwrap();
        assert_eq!(slow.delay(1.5), Duration::from_secs(3));
    }

    #[test]
    fn no_capacity_means_no_delay_and_huge_ones_saturate() {
        let pace = Pace::new(2.0).unwrap();
        assert_eq!(pace.delay(0.0), Duration::ZERO);
        assert_eq!(pace.delay(-3.0), Duration::ZERO);
        assert_eq!(pace.delay(f64::NAN), Duration::ZERO);
        let tiny = Pace::new(f64::MIN_POSITIVE).unwrap();
        assert_eq!(tiny.delay(1.0), Duration::MAX);
    }

    #[test]
    fn segments_share_the_budget() {
        let pace = Pace::new(8.0).unwrap();
        assert_eq!(pace.per_segment(4).delay(2.0), Duration::from_secs(1));
        assert_eq!(pace.per_segment(1), pace);
        assert_eq!(
            pace.per_segment(0),
            pace,
            "never more than the whole budget"
        );
        assert_eq!(pace.per_segment(-2), pace);
    }
}
