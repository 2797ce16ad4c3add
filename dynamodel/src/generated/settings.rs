//! Transforms (`set`, `get`) and timestamps (`created_at`, `updated_at`)
//! applied by the generated per-phase methods of a model.

use crate::settings::timestamp::{epoch_millis, Timestamp};
use crate::write_kind::WriteKind;

/// Replaces `*slot` by `f(old value)`, for `set` / `get` transforms on
/// non-`Option` fields. Used by generated code.
#[doc(hidden)]
pub fn transform<T: Default>(slot: &mut T, f: impl FnOnce(T) -> T) {
    let old = std::mem::take(slot);
    *slot = f(old);
}

/// Replaces the value inside `Some`, for `set` / `get` transforms on `Option`
/// fields. Used by generated code.
#[doc(hidden)]
pub fn transform_option<T>(slot: &mut Option<T>, f: impl FnOnce(T) -> T) {
    if let Some(old) = slot.take() {
        *slot = Some(f(old));
    }
}

/// `time` to the whole second (toward the past), for timestamps stored as
/// exact epoch seconds. Used by generated code.
#[doc(hidden)]
pub fn whole_seconds(time: std::time::SystemTime) -> std::time::SystemTime {
    let millis = epoch_millis(time);
    let seconds = millis.div_euclid(1000);
    let whole = std::time::Duration::from_secs(seconds.unsigned_abs());
    let shifted = if seconds >= 0 {
        std::time::UNIX_EPOCH.checked_add(whole)
    } else {
        std::time::UNIX_EPOCH.checked_sub(whole)
    };
    shifted.unwrap_or(time)
}

/// Sets a timestamp field on write. Used by generated code.
#[doc(hidden)]
pub fn touch_created<T: Timestamp>(slot: &mut T, kind: WriteKind, now: std::time::SystemTime) {
    if kind == WriteKind::Create || slot.is_unset() {
        *slot = T::at(now);
    }
}

/// Sets an `updated_at` field. Used by generated code.
#[doc(hidden)]
pub fn touch_updated<T: Timestamp>(slot: &mut T, now: std::time::SystemTime) {
    *slot = T::at(now);
}
