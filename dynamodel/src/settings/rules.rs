//! The traits that decide which validation rule fits which field type:
//! `length` needs [`HasLength`], `range` needs [`Ranged`], `regex` needs [`Text`].

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet, VecDeque};

/// Types with a length, for `#[dynamodel(length(min = .., max = ..))]`.
///
/// Strings count characters (Unicode scalar values), collections count elements.
#[diagnostic::on_unimplemented(
    message = "`length` needs a string or a collection, and `{Self}` has no length",
    label = "`length` is set on this field",
    note = "`length(min = .., max = ..)` applies to String, Vec, sets and maps; use `range` for numbers"
)]
pub trait HasLength {
    /// The length checked by `length`.
    fn length(&self) -> usize;
}

impl HasLength for String {
    fn length(&self) -> usize {
        self.chars().count()
    }
}
impl HasLength for str {
    fn length(&self) -> usize {
        self.chars().count()
    }
}
impl<T> HasLength for Vec<T> {
    fn length(&self) -> usize {
        self.len()
    }
}
impl<T> HasLength for VecDeque<T> {
    fn length(&self) -> usize {
        self.len()
    }
}
impl<T, S> HasLength for HashSet<T, S> {
    fn length(&self) -> usize {
        self.len()
    }
}
impl<T> HasLength for BTreeSet<T> {
    fn length(&self) -> usize {
        self.len()
    }
}
impl<K, V, S> HasLength for HashMap<K, V, S> {
    fn length(&self) -> usize {
        self.len()
    }
}
impl<K, V> HasLength for BTreeMap<K, V> {
    fn length(&self) -> usize {
        self.len()
    }
}

/// Number types, for `#[dynamodel(range(min = .., max = ..))]`.
#[diagnostic::on_unimplemented(
    message = "`range` needs a number, and `{Self}` is not one",
    label = "`range` is set on this field",
    note = "`range(min = .., max = ..)` applies to integer, float and `dynamodel::Number` fields; use `length` for strings and collections"
)]
pub trait Ranged {
    /// Compares the value with an integer bound.
    fn cmp_int(&self, bound: i128) -> Option<std::cmp::Ordering>;
    /// Compares the value with a float bound.
    fn cmp_float(&self, bound: f64) -> Option<std::cmp::Ordering>;
}

macro_rules! numeric_int {
    ($($t:ty),*) => {$(
        impl Ranged for $t {
            #[allow(clippy::cast_lossless, clippy::unnecessary_cast)]
            fn cmp_int(&self, bound: i128) -> Option<std::cmp::Ordering> {
                match i128::try_from(*self) {
                    Ok(v) => Some(v.cmp(&bound)),
                    // Only u128 above i128::MAX lands here.
                    Err(_) => Some(std::cmp::Ordering::Greater),
                }
            }
            #[allow(clippy::cast_precision_loss)]
            fn cmp_float(&self, bound: f64) -> Option<std::cmp::Ordering> {
                (*self as f64).partial_cmp(&bound)
            }
        }
    )*};
}
numeric_int!(i8, i16, i32, i64, i128, isize, u8, u16, u32, u64, u128, usize);

macro_rules! numeric_float {
    ($($t:ty),*) => {$(
        impl Ranged for $t {
            #[allow(clippy::cast_precision_loss)]
            fn cmp_int(&self, bound: i128) -> Option<std::cmp::Ordering> {
                f64::from(*self).partial_cmp(&(bound as f64))
            }
            fn cmp_float(&self, bound: f64) -> Option<std::cmp::Ordering> {
                f64::from(*self).partial_cmp(&bound)
            }
        }
    )*};
}
numeric_float!(f32, f64);

/// Exact: the bound is read as a decimal (the nearest `f64` only for a bound
/// `Number` cannot hold).
impl Ranged for crate::Number {
    fn cmp_int(&self, bound: i128) -> Option<std::cmp::Ordering> {
        match bound.to_string().parse::<crate::Number>() {
            Ok(bound) => Some(self.cmp(&bound)),
            Err(_) => self.to_f64().partial_cmp(&(bound as f64)),
        }
    }
    fn cmp_float(&self, bound: f64) -> Option<std::cmp::Ordering> {
        match format!("{bound:e}").parse::<crate::Number>() {
            Ok(bound) => Some(self.cmp(&bound)),
            Err(_) => self.to_f64().partial_cmp(&bound),
        }
    }
}

/// String types, for `#[dynamodel(regex = "...")]`.
#[diagnostic::on_unimplemented(
    message = "`regex` needs a string, and `{Self}` is not one",
    label = "`regex` is set on this field",
    note = "`regex = \"...\"` applies to String fields"
)]
pub trait Text {
    /// The text matched.
    fn text(&self) -> &str;
}

impl Text for String {
    fn text(&self) -> &str {
        self
    }
}
impl Text for Box<str> {
    fn text(&self) -> &str {
        self
    }
}
impl Text for Cow<'static, str> {
    fn text(&self) -> &str {
        self
    }
}
