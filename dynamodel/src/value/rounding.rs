//! How a date-time finer than a whole second is stored in `date =
//! "seconds"` storage, decided by the field's setting:
//!
//! | setting | sub-second part |
//! |---|---|
//! | (none, the default) | refused: a [`ConvertError`] naming the field, nothing sent |
//! | `truncate` | dropped: rounded toward the past (`12.9 s` → `12`) |
//! | `round` | rounded to the nearest second, halves toward the future (`12.5 s` → `13`, `-0.5 s` → `0`), as Dynamoose and JavaScript's `Math.round` do |
//!
//! One function (`epoch_seconds`) does it for every value the field
//! writes: whole-item writes, update values and condition values, so a
//! condition compares with exactly what a write stored.

use super::adapter::DateTimeValue;
use super::ConvertError;

/// What `seconds` storage does with a sub-second part.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rounding {
    /// Refuse the value (the default: nothing is lost silently).
    Refuse,
    /// Round toward the past (`truncate`).
    Truncate,
    /// Round to the nearest second, halves toward the future (`round`).
    Nearest,
}

/// The epoch seconds `value` is stored as under `rounding`.
pub(crate) fn epoch_seconds<T: DateTimeValue>(
    value: &T,
    rounding: Rounding,
) -> Result<i64, ConvertError> {
    match whole_seconds(value.to_seconds()?, value.subsec_nanos(), rounding) {
        Some(Ok(seconds)) => Ok(seconds),
        Some(Err(())) => Err(ConvertError::OutOfRange {
            target: "epoch seconds",
        }),
        None => Err(ConvertError::Invalid(
            "the date-time is more precise than the seconds storage it is stored in; round it first, store it with date = \"iso8601_nanos\" (nanoseconds kept), or let the field round it: #[dynamodel(date = \"seconds\", round)] to the nearest second, #[dynamodel(date = \"seconds\", truncate)] toward the past".into(),
        )),
    }
}

/// `seconds` (rounded toward the past, as [`DateTimeValue::to_seconds`]
/// gives) plus `nanos` (`0..1_000_000_000`) as whole seconds: `None` when
/// `Refuse` meets a sub-second part, `Some(Err)` when rounding up overflows.
fn whole_seconds(seconds: i64, nanos: u32, rounding: Rounding) -> Option<Result<i64, ()>> {
    if nanos == 0 {
        return Some(Ok(seconds));
    }
    match rounding {
        Rounding::Refuse => None,
        Rounding::Truncate => Some(Ok(seconds)),
        Rounding::Nearest if nanos >= 500_000_000 => Some(seconds.checked_add(1).ok_or(())),
        Rounding::Nearest => Some(Ok(seconds)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_seconds_are_kept_whatever_the_setting() {
        for rounding in [Rounding::Refuse, Rounding::Truncate, Rounding::Nearest] {
            for seconds in [i64::MIN, -1, 0, 12, i64::MAX] {
                assert_eq!(whole_seconds(seconds, 0, rounding), Some(Ok(seconds)));
            }
        }
    }

    #[test]
    fn refuse_refuses_any_sub_second_part() {
        for nanos in [1, 499_999_999, 500_000_000, 999_999_999] {
            assert_eq!(whole_seconds(12, nanos, Rounding::Refuse), None);
        }
    }

    #[test]
    fn truncate_rounds_toward_the_past() {
        for nanos in [1, 499_999_999, 500_000_000, 999_999_999] {
            assert_eq!(whole_seconds(12, nanos, Rounding::Truncate), Some(Ok(12)));
            // -0.25 s is -1 s + 750 ms: toward the past is -1.
            assert_eq!(whole_seconds(-1, nanos, Rounding::Truncate), Some(Ok(-1)));
        }
        assert_eq!(
            whole_seconds(i64::MAX, 999_999_999, Rounding::Truncate),
            Some(Ok(i64::MAX))
        );
    }

    #[test]
    fn nearest_rounds_halves_toward_the_future() {
        let nearest = |seconds, nanos| whole_seconds(seconds, nanos, Rounding::Nearest);
        assert_eq!(nearest(12, 1), Some(Ok(12)));
        assert_eq!(nearest(12, 499_999_999), Some(Ok(12)));
        assert_eq!(nearest(12, 500_000_000), Some(Ok(13)));
        assert_eq!(nearest(12, 999_999_999), Some(Ok(13)));
        // Before 1970: -1 s + 500 ms is -0.5 s, which rounds to 0 (as
        // `Math.round(-0.5)`); -1 s + 400 ms is -0.6 s, which rounds to -1.
        assert_eq!(nearest(-1, 500_000_000), Some(Ok(0)));
        assert_eq!(nearest(-1, 400_000_000), Some(Ok(-1)));
        assert_eq!(nearest(-2, 600_000_000), Some(Ok(-1)));
        assert_eq!(nearest(i64::MAX, 500_000_000), Some(Err(())));
        assert_eq!(nearest(i64::MAX, 499_999_999), Some(Ok(i64::MAX)));
    }

    #[cfg(feature = "chrono")]
    #[test]
    fn date_times_go_through_the_same_rounding() {
        let at = |seconds, nanos| chrono::DateTime::from_timestamp(seconds, nanos).unwrap();
        assert_eq!(
            epoch_seconds(&at(12, 500_000_000), Rounding::Nearest),
            Ok(13)
        );
        assert_eq!(
            epoch_seconds(&at(12, 500_000_000), Rounding::Truncate),
            Ok(12)
        );
        assert_eq!(epoch_seconds(&at(12, 0), Rounding::Refuse), Ok(12));
        let refused = epoch_seconds(&at(12, 1), Rounding::Refuse).unwrap_err();
        let message = refused.to_string();
        assert!(message.contains("round"), "{message}");
        assert!(message.contains("truncate"), "{message}");
        assert!(message.contains("seconds"), "{message}");
    }
}
