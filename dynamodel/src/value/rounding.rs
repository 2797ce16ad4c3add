//! How a date-time finer than its storage's unit is stored, decided by the
//! field's setting, the same for every storage that has a unit: `date =
//! "seconds"`, `"millis"`, `"iso8601"` (milliseconds), `"iso8601_micros"`
//! and `ttl` (seconds):
//!
//! | setting | part finer than the unit |
//! |---|---|
//! | (none, the default) | refused: a [`ConvertError`] naming the field, nothing sent |
//! | `truncate` | dropped: rounded toward the past (`12.9 s` → `12`) |
//! | `round` | rounded to the nearest unit, halves toward the future (`12.5 s` → `13`, `-0.5 s` → `0`), as Dynamoose and JavaScript's `Math.round` do |
//!
//! One function per storage (`epoch_seconds`, `epoch_millis`,
//! `rounded_nanos`) does it for every value the field writes: whole-item
//! writes, update values and condition values, so a condition compares with
//! exactly what a write stored. `iso8601_nanos` holds every nanosecond the
//! date-time types hold: nothing to round.

use super::adapter::DateTimeValue;
use super::ConvertError;

/// What a storage does with a part finer than its unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rounding {
    /// Refuse the value (the default: nothing is lost silently).
    Refuse,
    /// Round toward the past (`truncate`).
    Truncate,
    /// Round to the nearest unit, halves toward the future (`round`).
    Nearest,
}

/// The refusal of a value finer than `storage` (`date = "{storage}"`),
/// whose unit is `unit`: names the ways out.
pub(crate) fn too_precise(storage: &str, unit: &str) -> ConvertError {
    ConvertError::Invalid(format!(
        "the date-time is more precise than the {storage} storage it is stored in; round it first, store it with date = \"iso8601_nanos\" (nanoseconds kept), or let the field round it: #[dynamodel(date = \"{storage}\", round)] to the nearest {unit}, #[dynamodel(date = \"{storage}\", truncate)] toward the past"
    ))
}

fn overflow() -> ConvertError {
    ConvertError::OutOfRange {
        target: "a date-time",
    }
}

/// The epoch seconds `value` is stored as under `rounding`.
pub(crate) fn epoch_seconds<T: DateTimeValue>(
    value: &T,
    rounding: Rounding,
) -> Result<i64, ConvertError> {
    match whole_units(
        value.to_seconds()?,
        value.subsec_nanos(),
        NANOS_PER_SECOND,
        rounding,
    ) {
        Some(Ok(seconds)) => Ok(seconds),
        Some(Err(())) => Err(ConvertError::OutOfRange {
            target: "epoch seconds",
        }),
        None => Err(too_precise("seconds", "second")),
    }
}

/// The epoch milliseconds `value` is stored as under `rounding`.
pub(crate) fn epoch_millis<T: DateTimeValue>(
    value: &T,
    rounding: Rounding,
) -> Result<i64, ConvertError> {
    let remainder = value.subsec_nanos() % NANOS_PER_MILLI;
    match whole_units(value.to_millis()?, remainder, NANOS_PER_MILLI, rounding) {
        Some(Ok(millis)) => Ok(millis),
        Some(Err(())) => Err(overflow()),
        None => Err(too_precise("millis", "millisecond")),
    }
}

/// `value` as epoch seconds (toward the past) and the nanoseconds past
/// them, rounded under `rounding` to a multiple of `nanos_per_unit` (a
/// divisor of a second); a round-up to the next second carries into the
/// seconds. `storage` and `unit` name the refusal.
pub(crate) fn rounded_nanos<T: DateTimeValue>(
    value: &T,
    nanos_per_unit: u32,
    rounding: Rounding,
    storage: &str,
    unit: &str,
) -> Result<(i64, u32), ConvertError> {
    let seconds = value.to_seconds()?;
    let nanos = value.subsec_nanos();
    let units = i64::from(nanos / nanos_per_unit);
    match whole_units(units, nanos % nanos_per_unit, nanos_per_unit, rounding) {
        None => Err(too_precise(storage, unit)),
        Some(Err(())) => Err(overflow()),
        Some(Ok(units)) => {
            let units_per_second = i64::from(NANOS_PER_SECOND / nanos_per_unit);
            let carry = units / units_per_second;
            let seconds = seconds.checked_add(carry).ok_or_else(overflow)?;
            let nanos =
                u32::try_from(units % units_per_second).map_err(|_| overflow())? * nanos_per_unit;
            Ok((seconds, nanos))
        }
    }
}

const NANOS_PER_SECOND: u32 = 1_000_000_000;
const NANOS_PER_MILLI: u32 = 1_000_000;

/// `floor` (a count of units, rounded toward the past) plus `remainder`
/// nanoseconds (`0..nanos_per_unit`) as whole units: `None` when `Refuse`
/// meets a remainder, `Some(Err)` when rounding up overflows.
fn whole_units(
    floor: i64,
    remainder: u32,
    nanos_per_unit: u32,
    rounding: Rounding,
) -> Option<Result<i64, ()>> {
    if remainder == 0 {
        return Some(Ok(floor));
    }
    match rounding {
        Rounding::Refuse => None,
        Rounding::Truncate => Some(Ok(floor)),
        Rounding::Nearest if remainder >= nanos_per_unit / 2 => {
            Some(floor.checked_add(1).ok_or(()))
        }
        Rounding::Nearest => Some(Ok(floor)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn whole_seconds(seconds: i64, nanos: u32, rounding: Rounding) -> Option<Result<i64, ()>> {
        whole_units(seconds, nanos, NANOS_PER_SECOND, rounding)
    }

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
