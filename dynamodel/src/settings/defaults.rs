//! `default` on a non-`Option` field: which values count as absent.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// Types with an empty value, so that `default` on a non-`Option` field knows
/// when the value is *absent*: an empty string or collection.
///
/// On an `Option<T>` field, `None` is absent and the default is a `T`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` has no \"absent\" value, so a `default` on it would never apply",
    label = "`default` is set on this field",
    note = "make the field an `Option<..>` (None is absent), or use `force_default` to set it on every write"
)]
pub trait Emptiable {
    /// Whether the value counts as absent.
    fn is_absent(&self) -> bool;
}

impl Emptiable for String {
    fn is_absent(&self) -> bool {
        self.is_empty()
    }
}
impl<T> Emptiable for Vec<T> {
    fn is_absent(&self) -> bool {
        self.is_empty()
    }
}
impl<T, S> Emptiable for HashSet<T, S> {
    fn is_absent(&self) -> bool {
        self.is_empty()
    }
}
impl<T> Emptiable for BTreeSet<T> {
    fn is_absent(&self) -> bool {
        self.is_empty()
    }
}
impl<K, V, S> Emptiable for HashMap<K, V, S> {
    fn is_absent(&self) -> bool {
        self.is_empty()
    }
}
impl<K, V> Emptiable for BTreeMap<K, V> {
    fn is_absent(&self) -> bool {
        self.is_empty()
    }
}
