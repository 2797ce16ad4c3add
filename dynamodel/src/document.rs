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
//!
//! # Validation and transforms
//!
//! Members take the validation settings of model fields — `range(min, max)`,
//! `length(min, max)`, `one_of(..)`, `regex = ".."`, `validate = path` — and
//! the transforms `set = path` / `get = path`, checked against the member's
//! type at compile time as on a model (`range` on a `String` does not
//! compile). The struct takes `validate = path` (a `fn(&Self) -> ..` run on
//! the whole document, reported at the document's own path) and
//! `rename_all`; an enum takes `rename_all`.
//!
//! - **Validation** runs wherever the model holding the document is
//!   validated: on every write (`put`, `create`, batch and transaction
//!   puts) and on the values an update writes. Every failure is reported at
//!   once, at its full path: `address.postcode`, `address.geo.lat`,
//!   `lines[1].qty` in a `Vec` of documents, `by_name.k.qty` in a map of
//!   them, and in an `Option` only when it holds one. A write with a
//!   failure fails with [`crate::Error::Validation`] and sends nothing.
//!   Rules check the value as stored: a member with a `set` transform is
//!   checked after it.
//! - **`set`** transforms a member each time the document is converted for
//!   writing (a copy of that member; the value in hand is left alone), in
//!   whole-item writes and in the values written through the typed handles
//!   (updates and conditions compare with the transformed value).
//! - **`get`** transforms a member each time the document is read back.
//!
//! The typed handles on members carry their rules too:
//! `db.update::<User>(key).set(&User::fields().address.nested().zip, "x")`
//! is transformed and validated like a whole-item write, and reports
//! `address.postcode`.
//!
//! Settings that belong to a model — `default`, `default_with`,
//! `force_default`, `skip`, `created_at`, `updated_at`, `unknown`,
//! `version`, keys, and `table`, indexes, `hooks`, `timestamps` on the
//! struct — are compile errors on a document.
//!
//! ```
//! use dynamodel::{Document, Model};
//!
//! fn trim(v: String) -> String {
//!     v.trim().to_uppercase()
//! }
//!
//! #[derive(Document, Debug, Clone, PartialEq)]
//! struct Line {
//!     #[dynamodel(set = trim, regex = "^[A-Z0-9-]+$")]
//!     sku: String,
//!     #[dynamodel(range(min = 1, max = 100))]
//!     qty: u32,
//! }
//!
//! #[derive(Model, Debug, Clone, PartialEq)]
//! struct Order {
//!     #[dynamodel(hash_key)]
//!     id: String,
//!     lines: Vec<Line>,
//! }
//!
//! let order = Order {
//!     id: "o1".into(),
//!     lines: vec![
//!         Line { sku: " ab-1 ".into(), qty: 2 },
//!         Line { sku: "c 2".into(), qty: 0 },
//!     ],
//! };
//! let errors = order.validate().unwrap_err();
//! let paths: Vec<_> = errors.errors().iter().map(|e| (e.path.as_str(), e.rule)).collect();
//! assert_eq!(paths, [("lines[1].sku", "regex"), ("lines[1].qty", "range")]);
//! ```

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
