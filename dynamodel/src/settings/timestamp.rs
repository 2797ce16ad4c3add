//! `created_at` / `updated_at` fields: the types that can hold a timestamp.

/// Types a `created_at` / `updated_at` field may have.
///
/// dynamodel implements it for `u64` and `i64` (milliseconds since the Unix
/// epoch), for `std::time::SystemTime` and the date-time types of the
/// `chrono` and `time` features (`DateTime<Utc>`, `OffsetDateTime`), set
/// to the millisecond, and for
/// `Option<T>` of those.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot hold a timestamp",
    label = "this field is a `created_at` / `updated_at` timestamp",
    note = "timestamps are `u64` or `i64` epoch milliseconds, a date-time (`std::time::SystemTime`, or chrono's or time's with their feature), an `Option` of those, or a type implementing `dynamodel::settings::Timestamp`"
)]
pub trait Timestamp {
    /// The time `now` in this type. A write reads the clock once, so the
    /// `created_at` and `updated_at` of a new item are equal.
    fn at(now: std::time::SystemTime) -> Self;
    /// Whether the field holds no timestamp yet (`0`, `None`, the epoch):
    /// `put` fills `created_at` only then.
    fn is_unset(&self) -> bool;
}

/// Milliseconds since the Unix epoch (negative before it), saturating.
pub(crate) fn epoch_millis(time: std::time::SystemTime) -> i64 {
    match time.duration_since(std::time::UNIX_EPOCH) {
        Ok(elapsed) => i64::try_from(elapsed.as_millis()).unwrap_or(i64::MAX),
        Err(before) => i64::try_from(before.duration().as_millis()).map_or(i64::MIN, |ms| -ms),
    }
}

impl Timestamp for i64 {
    fn at(now: std::time::SystemTime) -> Self {
        epoch_millis(now)
    }
    fn is_unset(&self) -> bool {
        *self == 0
    }
}

impl Timestamp for u64 {
    fn at(now: std::time::SystemTime) -> Self {
        u64::try_from(epoch_millis(now)).unwrap_or(0)
    }
    fn is_unset(&self) -> bool {
        *self == 0
    }
}

impl<T: Timestamp> Timestamp for Option<T> {
    fn at(now: std::time::SystemTime) -> Self {
        Some(T::at(now))
    }
    fn is_unset(&self) -> bool {
        self.as_ref().is_none_or(T::is_unset)
    }
}

impl Timestamp for std::time::SystemTime {
    fn at(now: std::time::SystemTime) -> Self {
        // To the millisecond, as stored by default.
        let millis = epoch_millis(now);
        let offset = std::time::Duration::from_millis(millis.unsigned_abs());
        if millis >= 0 {
            std::time::UNIX_EPOCH.checked_add(offset)
        } else {
            std::time::UNIX_EPOCH.checked_sub(offset)
        }
        .unwrap_or(std::time::UNIX_EPOCH)
    }
    fn is_unset(&self) -> bool {
        *self == std::time::UNIX_EPOCH
    }
}

#[cfg(feature = "chrono")]
impl Timestamp for chrono::DateTime<chrono::Utc> {
    fn at(now: std::time::SystemTime) -> Self {
        // To the millisecond, as stored by default.
        chrono::DateTime::from_timestamp_millis(epoch_millis(now)).unwrap_or_default()
    }
    fn is_unset(&self) -> bool {
        self.timestamp_millis() == 0
    }
}

#[cfg(feature = "time")]
impl Timestamp for time::OffsetDateTime {
    fn at(now: std::time::SystemTime) -> Self {
        // To the millisecond, as stored by default.
        time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(epoch_millis(now)) * 1_000_000)
            .unwrap_or(time::OffsetDateTime::UNIX_EPOCH)
    }
    fn is_unset(&self) -> bool {
        *self == time::OffsetDateTime::UNIX_EPOCH
    }
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, SystemTime, UNIX_EPOCH};

    use super::Timestamp;

    #[test]
    fn a_system_time_timestamp_is_set_to_the_millisecond() {
        let now = UNIX_EPOCH + Duration::new(1_700_000_000, 123_456_789);
        assert_eq!(
            SystemTime::at(now),
            UNIX_EPOCH + Duration::from_millis(1_700_000_000_123)
        );
        let before = UNIX_EPOCH - Duration::new(2, 500_000_000);
        assert_eq!(
            SystemTime::at(before),
            UNIX_EPOCH - Duration::from_millis(2_500)
        );
        assert!(UNIX_EPOCH.is_unset());
        assert!(!SystemTime::at(now).is_unset());
    }
}
