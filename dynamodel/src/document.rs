//! Nested documents: structs stored as a map (`M`) inside a model, derived
//! with `#[derive(dynamodel::Document)]`.
//!
//! ```
//! use dynamodel::{Document, Model};
//!
//! #[derive(Document, Debug, Clone, PartialEq)]
//! struct Address {
//!     city: String,
//!     #[dynamodel(rename = "postcode")]
//!     zip: String,
//! }
//!
//! #[derive(Document, Debug, Clone, Copy, PartialEq)]
//! enum Plan {
//!     Free,
//!     #[dynamodel(rename = "PRO")]
//!     Pro,
//! }
//!
//! #[derive(Model, Debug, Clone, PartialEq)]
//! struct User {
//!     #[dynamodel(hash_key)]
//!     id: String,
//!     address: Address,
//!     plan: Plan,
//! }
//!
//! // A typed handle on `address.postcode`:
//! let zip = User::fields().address.nested().zip;
//! assert_eq!(zip.path().display_name(), "address.postcode");
//! ```
//!
//! On a struct, the derive implements [`crate::Attribute`] (a map, member by
//! member, with the same field settings as a model: `rename`, `null`,
//! `serde`, `date`, and `Vec<u8>` as binary) and [`Document`], whose
//! `Fields<Root>` are typed handles on the members. On an enum whose
//! variants carry no data, it implements [`crate::Attribute`] as a string
//! (the variant's name, or its `rename`). Errors inside a document name the
//! full path (`address.postcode`). Members that the struct does not know are
//! dropped when read.

use crate::expr::{Field, Path};
use crate::{Attribute, Model};

/// A struct stored as a map, with typed handles on its members
/// (implemented by `#[derive(Document)]` on structs).
pub trait Document: Attribute {
    /// The handles on the members, as attributes of the root model `Root`
    /// (generated as `<Struct>Fields<Root>`).
    type Fields<Root: Model>;

    /// The handles on the members of the document stored at `base`.
    fn fields_at<Root: Model>(base: Path) -> Self::Fields<Root>;
}

impl<M: Model, T: Document> Field<M, T> {
    /// Typed handles on the members of this nested document:
    /// `User::fields().address.nested().city` is a `Field<User, String>`
    /// on `address.city`.
    pub fn nested(&self) -> T::Fields<M> {
        T::fields_at::<M>(self.path().clone())
    }
}
