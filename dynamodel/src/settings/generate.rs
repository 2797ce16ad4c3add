//! `generate = "uuid_v4" | "uuid_v7" | "ulid"`: identifiers made on create.
//!
//! A generated field is filled, like a `default`, in the defaults step of
//! the write pipeline ([`crate::pipeline`]) of every whole-item write
//! (create, put, batch put, transaction put and create) when its value is
//! *absent*: an empty `String`, a nil `Uuid` / `Ulid`, or `None`. A value
//! already there (read from the table, or set in code) is kept, so putting
//! back an item read from the table keeps its identifier. It runs before
//! validation and before the key step, so a generated field may be a key or
//! a part of a key template. An upsert generates a non-key field only where
//! the attribute is absent (`if_not_exists`); updates never generate keys
//! (they are given the key). The caller's value is not changed: read the
//! identifier back with `.saved()` ([`crate::ops::Create::saved`],
//! [`crate::ops::Put::saved`]), or set it yourself before writing.
//!
//! The traits below are always defined; their implementations come with the
//! `uuid` and `ulid` features.

/// Types a `generate = "uuid_v4"` / `"uuid_v7"` field can hold: `String`
/// (feature `uuid`) and `uuid::Uuid`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot hold a generated UUID",
    label = "`generate = \"uuid_v4\"` / `\"uuid_v7\"` is set on this field",
    note = "a generated UUID fills a `String` or a `uuid::Uuid` (or an `Option` of one), with dynamodel's `uuid` feature enabled"
)]
pub trait GenerateUuid: Sized {
    /// Whether the value is absent, so a new one is generated: an empty
    /// string, the nil UUID.
    fn is_unset(&self) -> bool;
    /// A new random (version 4) UUID.
    fn uuid_v4() -> Self;
    /// A new time-ordered (version 7) UUID: its text sorts by creation time.
    fn uuid_v7() -> Self;
}

/// Types a `generate = "ulid"` field can hold: `String` (feature `ulid`) and
/// `ulid::Ulid`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot hold a generated ULID",
    label = "`generate = \"ulid\"` is set on this field",
    note = "a generated ULID fills a `String` or a `ulid::Ulid` (or an `Option` of one), with dynamodel's `ulid` feature enabled"
)]
pub trait GenerateUlid: Sized {
    /// Whether the value is absent, so a new one is generated: an empty
    /// string, the nil ULID.
    fn is_unset(&self) -> bool;
    /// A new ULID: its text sorts by creation time (to the millisecond).
    fn ulid() -> Self;
}

#[cfg(feature = "uuid")]
impl GenerateUuid for uuid::Uuid {
    fn is_unset(&self) -> bool {
        self.is_nil()
    }

    fn uuid_v4() -> Self {
        uuid::Uuid::new_v4()
    }

    fn uuid_v7() -> Self {
        uuid::Uuid::now_v7()
    }
}

#[cfg(feature = "uuid")]
impl GenerateUuid for String {
    fn is_unset(&self) -> bool {
        self.is_empty()
    }

    /// Lowercase and hyphenated, as a `uuid::Uuid` field is stored.
    fn uuid_v4() -> Self {
        uuid::Uuid::new_v4().hyphenated().to_string()
    }

    fn uuid_v7() -> Self {
        uuid::Uuid::now_v7().hyphenated().to_string()
    }
}

#[cfg(feature = "ulid")]
impl GenerateUlid for ulid::Ulid {
    fn is_unset(&self) -> bool {
        self.is_nil()
    }

    fn ulid() -> Self {
        ulid::Ulid::generate()
    }
}

#[cfg(feature = "ulid")]
impl GenerateUlid for String {
    fn is_unset(&self) -> bool {
        self.is_empty()
    }

    fn ulid() -> Self {
        ulid::Ulid::generate().to_string()
    }
}

#[cfg(all(test, feature = "uuid", feature = "ulid"))]
mod tests {
    use super::*;

    #[test]
    fn uuid_strings_have_their_version_and_v7_sorts_by_time() {
        let v4 = <String as GenerateUuid>::uuid_v4();
        let parsed = uuid::Uuid::parse_str(&v4).unwrap();
        assert_eq!(parsed.get_version_num(), 4);
        assert_eq!(v4, parsed.hyphenated().to_string());
        let first = <String as GenerateUuid>::uuid_v7();
        std::thread::sleep(std::time::Duration::from_millis(2));
        let second = <String as GenerateUuid>::uuid_v7();
        assert_eq!(uuid::Uuid::parse_str(&first).unwrap().get_version_num(), 7);
        assert!(first < second);
        assert_ne!(<String as GenerateUuid>::uuid_v4(), v4);
        assert_eq!(<uuid::Uuid as GenerateUuid>::uuid_v4().get_version_num(), 4);
        assert_eq!(<uuid::Uuid as GenerateUuid>::uuid_v7().get_version_num(), 7);
    }

    #[test]
    fn ulid_strings_parse_and_sort_by_time() {
        let first = <String as GenerateUlid>::ulid();
        std::thread::sleep(std::time::Duration::from_millis(2));
        let second = <String as GenerateUlid>::ulid();
        assert_eq!(first.len(), 26);
        assert!(ulid::Ulid::from_string(&first).is_ok());
        assert!(first < second);
        assert!(!<ulid::Ulid as GenerateUlid>::ulid().is_nil());
        assert!(GenerateUlid::is_unset(&String::new()));
        assert!(!GenerateUlid::is_unset(&first));
        assert!(GenerateUlid::is_unset(&ulid::Ulid::nil()));
        assert!(!GenerateUlid::is_unset(&ulid::Ulid::generate()));
        assert!(GenerateUuid::is_unset(&String::new()));
        assert!(!GenerateUuid::is_unset(&first));
        assert!(GenerateUuid::is_unset(&uuid::Uuid::nil()));
        assert!(!GenerateUuid::is_unset(&uuid::Uuid::now_v7()));
    }
}
