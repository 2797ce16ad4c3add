//! [`IntoKey`]: what get, delete, update, upsert, batches and transactions
//! accept as a model's key, so a composite key reads as written:
//! `db.get::<Order>(("u-1", 2))` for a key `(String, i64)`.

use std::borrow::Cow;

use crate::value::KeyAttribute;
use crate::Binary;

/// A value that converts into the key `K` (a model's [`crate::Model::Key`]).
///
/// * A single key value: the key's own type, a reference to it (cloned),
///   `&str` / `Cow<str>` / `Box<str>` for a `String` key, `Vec<u8>` /
///   `&[u8]` for a [`crate::Binary`] key.
/// * A composite key (a tuple, up to 6 values): a tuple of values each of
///   which converts into its part, so `("u-1", 2)` and
///   `("u-1".to_string(), 2)` are both keys of `(String, i64)`; borrowed
///   strings and owned ones may be mixed.
///
/// Integer literals take the key's own integer type (`2` in `("u-1", 2)` is
/// a `u64` for a `(String, u64)` key); a variable of another integer type
/// needs a conversion (`i64::from(n)`), so that no literal is ambiguous.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a key of type `{K}`",
    label = "expected the model's key `{K}` (or values converting into its parts)",
    note = "a key is the partition key's value, or a tuple `(partition, sort)` (the template fields, in order, for a key template); `&str` is accepted for `String` parts"
)]
pub trait IntoKey<K> {
    /// The key.
    fn into_key(self) -> K;
}

impl<K: KeyAttribute> IntoKey<K> for K {
    fn into_key(self) -> K {
        self
    }
}

impl<K: KeyAttribute + Clone> IntoKey<K> for &K {
    fn into_key(self) -> K {
        self.clone()
    }
}

impl IntoKey<String> for &str {
    fn into_key(self) -> String {
        self.to_owned()
    }
}

impl IntoKey<String> for Box<str> {
    fn into_key(self) -> String {
        self.into()
    }
}

impl IntoKey<String> for Cow<'_, str> {
    fn into_key(self) -> String {
        self.into_owned()
    }
}

impl IntoKey<Binary> for Vec<u8> {
    fn into_key(self) -> Binary {
        self.into()
    }
}

impl IntoKey<Binary> for &[u8] {
    fn into_key(self) -> Binary {
        self.to_vec().into()
    }
}

/// The key of a model whose derive failed (its stub `Key` is `()`), so that
/// one mistake yields one error.
impl IntoKey<()> for () {
    fn into_key(self) {}
}

macro_rules! tuple_keys {
    ($(($($part:ident $arg:ident),+))*) => {$(
        impl<$($part,)+ $($arg: IntoKey<$part>,)+> IntoKey<($($part,)+)> for ($($arg,)+) {
            #[allow(non_snake_case)]
            fn into_key(self) -> ($($part,)+) {
                let ($($arg,)+) = self;
                ($($arg.into_key(),)+)
            }
        }
    )*};
}

tuple_keys! {
    (H A, R B)
    (P1 A1, P2 A2, P3 A3)
    (P1 A1, P2 A2, P3 A3, P4 A4)
    (P1 A1, P2 A2, P3 A3, P4 A4, P5 A5)
    (P1 A1, P2 A2, P3 A3, P4 A4, P5 A5, P6 A6)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key<K>(value: impl IntoKey<K>) -> K {
        value.into_key()
    }

    #[test]
    fn parts_convert_one_by_one_owned_or_borrowed() {
        assert_eq!(key::<String>("u-1"), "u-1");
        assert_eq!(key::<(String, i64)>(("u-1", 2)), ("u-1".to_string(), 2));
        assert_eq!(
            key::<(String, i64)>(("u-1".to_string(), 2)),
            ("u-1".to_string(), 2)
        );
        assert_eq!(
            key::<(String, u32, String)>(("a", 7u32, String::from("c"))),
            ("a".to_string(), 7, "c".to_string())
        );
        let six =
            key::<(String, String, String, String, String, u64)>(("1", "2", "3", "4", "5", 6));
        assert_eq!(six.4, "5");
        assert_eq!(six.5, 6);
        // Integer literals take the key's type, in a tuple or alone.
        assert_eq!(key::<(String, u64)>(("u", 2)).1, 2u64);
        assert_eq!(key::<u8>(7), 7u8);
        let owned = String::from("r");
        assert_eq!(key::<String>(&owned), "r");
        assert_eq!(key::<String>(Box::<str>::from("b")), "b");
        assert_eq!(key::<String>(Cow::Borrowed("c")), "c");
        assert_eq!(key::<Binary>(vec![1u8, 2]), Binary::from(vec![1u8, 2]));
        assert_eq!(key::<Binary>(&[3u8][..]), Binary::from(vec![3u8]));
    }
}
