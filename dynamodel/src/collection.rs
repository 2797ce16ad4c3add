//! Collections: one query over a shared partition returns several entity
//! types at once, each item decoded into the variant of a user enum.
//!
//! ```
//! use dynamodel::{Collection, Model};
//!
//! #[derive(Model, Debug, Clone, PartialEq)]
//! #[dynamodel(table = "shop", pk = "CUSTOMER#{customer_id}", sk = "PROFILE")]
//! struct Customer {
//!     customer_id: String,
//!     name: String,
//! }
//!
//! #[derive(Model, Debug, Clone, PartialEq)]
//! #[dynamodel(table = "shop", pk = "CUSTOMER#{customer_id}", sk = "ORDER#{order_id}")]
//! struct Order {
//!     customer_id: String,
//!     order_id: String,
//!     total: i64,
//! }
//!
//! #[derive(Collection, Debug)]
//! enum CustomerPage {
//!     Customer(Customer),
//!     Order(Order),
//! }
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let db = dynamodel::Db::new(dynamodel::local::client().await?).with_table_prefix("doc-coll-");
//! db.create_table::<Customer>().await?;
//! db.put(&Customer { customer_id: "c1".into(), name: "Ada".into() }).await?;
//! db.put(&Order { customer_id: "c1".into(), order_id: "o1".into(), total: 5 }).await?;
//!
//! // One request; big orders only (the filter applies to `Order` items).
//! let page = db
//!     .collection::<CustomerPage>("c1")
//!     .filter(Order::fields().total.gt(1i64))
//!     .fill(10)
//!     .await?;
//! assert_eq!(page.items.len(), 2);
//! # Ok(())
//! # }
//! ```
//!
//! # Rules, checked at compile time
//!
//! `#[derive(Collection)]` takes an enum whose variants each hold one model
//! (`Variant(Model)`). The members are entities ([`crate::entity`]) with
//! distinct entity names and one entity attribute, on the same table, and
//! share the partition key: the same key attribute names and, for key
//! templates, the same constant text and the same field types in order
//! (`CUSTOMER#{id}` and `CUSTOMER#{customer_id}` with `String` fields fit).
//! Any mismatch is a compile error naming the members.
//!
//! # Reading
//!
//! [`crate::Db::collection`] takes the partition key (the first member's
//! `{Model}PartitionKey`, or anything that converts into it) and returns a
//! [`crate::query::CollectionQuery`] with the single-model queries' reads:
//! `.page()`, `.fill(n)` (exactly `n` items across pages, the cursor right
//! after the last), `.stream()`, `.all()`, `.count()`, `.start_from(cursor)`,
//! `.limit(n)`, `.descending()`, and sort-key conditions typed by a member
//! (`.sort_begins_with::<Order>(OrderSortKey::prefix())`).
//! [`crate::Db::collection_index`] queries a secondary index of the first
//! member instead (`Customer::indexes().by_region`), with the same reads
//! but no sort-key conditions; the other members' items are found when they
//! store the index's key attributes (overloaded generic index attributes
//! such as `gsi1pk` are not declared per member yet).
//! `.filter(condition)` takes a condition on any member and applies it to
//! that member's items only (the others pass); several calls combine with AND.
//!
//! The derive also generates `{Enum}Key` (`CustomerPageKey` above), an
//! enum of the members' keys ([`Collection::key`]), and, with the
//! `streams` feature, makes the enum a
#![cfg_attr(
    feature = "streams",
    doc = "[`StreamItem`](crate::stream::StreamItem): the records of a shared table's stream decode into the member whose entity they hold (see [`crate::stream`])."
)]
#![cfg_attr(
    not(feature = "streams"),
    doc = "`dynamodel::stream::StreamItem`: the records of a shared table's stream decode into the member whose entity they hold (see the `dynamodel::stream` module)."
)]
//!
//! Items of entities the enum does not list are skipped by default: the
//! query sends a `FilterExpression` keeping the listed entity names only, so
//! nothing else is read over the wire and `count()` counts the listed
//! entities. With `.report_unlisted()` the filter is left out and each such
//! item (an unknown entity name, or no entity attribute) is reported as an
//! [`crate::Error::UnlistedEntity`] in [`crate::query::Page::errors`] (or
//! as an `Err` in a stream, or the error with `.strict()`).

use crate::query::Queryable;
use crate::{Item, Result};

/// An enum whose variants are models sharing a partition, read together
/// by [`crate::Db::collection`]. Implement it with `#[derive(Collection)]`
/// (see the [module docs](self)).
pub trait Collection: Sized + Send + 'static {
    /// The enum's name, for errors and cursors.
    const NAME: &'static str;

    /// The first member: its table, partition key type and key schema are
    /// the collection's (the members share them, checked at compile time).
    type Anchor: Queryable;

    /// The attribute holding the entity name, the same for every member.
    const ENTITY_ATTRIBUTE: &'static str;

    /// The members' entity names, in the enum's order.
    const ENTITIES: &'static [&'static str];

    /// The key of an item of the collection: an enum with one variant per
    /// member holding that member's `Model::Key`, generated as `{Enum}Key`.
    type Key: Send + Sync + Clone + 'static;

    /// Decodes `item`, of the entity named `entity`, into the member of that
    /// name through the read pipeline; `None` when no member has that name.
    fn decode_member(entity: &str, item: Item) -> Option<Result<Self>>;

    /// The key of the member this item holds.
    fn key(&self) -> Self::Key;
}

/// A member of collection `C`: conditions on its fields filter the
/// collection's items of this member, and its sort key type types the
/// collection's sort-key conditions. Implemented by `#[derive(Collection)]`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a member of the collection `{C}`",
    label = "filters and sort-key conditions of a collection query name one of its members"
)]
pub trait Member<C: Collection>: checks::CollectionModel {}

/// The partition key a model's items are stored under, in a form the
/// `Collection` derive compares between members at compile time. Generated
/// by `#[derive(Model)]`; not meant to be implemented by hand.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a model: each variant of a `#[derive(Collection)]` enum holds a `#[derive(Model)]` struct",
    label = "not a model"
)]
pub trait SharedPartition: Queryable {
    /// The table's key attribute names and the partition key template's
    /// constant text, the fields left out (`\0` where each stands).
    const PARTITION_SHAPE: &'static str;
    /// The partition key template's field types, in order (a tuple).
    type PartitionFields;
}

/// The checks `#[derive(Collection)]` generates, evaluated at compile time.
#[doc(hidden)]
pub mod checks {
    use super::SharedPartition;
    use crate::{Item, Result};

    /// A collection's member must be a model.
    #[diagnostic::on_unimplemented(
        message = "`{Self}` is not a model: each variant of a `#[derive(Collection)]` enum holds a `#[derive(Model)]` struct",
        label = "not a model"
    )]
    pub trait CollectionModel: SharedPartition {}

    impl<T: SharedPartition> CollectionModel for T {}

    /// The members share the partition key's field types.
    #[diagnostic::on_unimplemented(
        message = "the members of a collection share the partition key template: its fields are `{Self}` here but `{First}` in the first member",
        label = "partition key fields differ from the first member's"
    )]
    pub trait SamePartitionFields<First> {}

    impl<T> SamePartitionFields<T> for T {}

    /// Asserts at compile time that `M` is a model.
    pub const fn model<M: CollectionModel>() {}

    /// Asserts at compile time that `M`'s partition fields are `First`'s.
    pub const fn same_partition_fields<M, First>()
    where
        M: CollectionModel,
        First: CollectionModel,
        M::PartitionFields: SamePartitionFields<First::PartitionFields>,
    {
    }

    /// `a == b`, at compile time.
    pub const fn str_eq(a: &str, b: &str) -> bool {
        let (a, b) = (a.as_bytes(), b.as_bytes());
        if a.len() != b.len() {
            return false;
        }
        let mut i = 0;
        while i < a.len() {
            if a[i] != b[i] {
                return false;
            }
            i += 1;
        }
        true
    }

    /// `M`'s table name as declared.
    pub const fn table_name<M: CollectionModel>() -> &'static str {
        M::TABLE_NAME
    }

    /// `M`'s partition key shape ([`SharedPartition::PARTITION_SHAPE`]).
    pub const fn partition_shape<M: CollectionModel>() -> &'static str {
        M::PARTITION_SHAPE
    }

    /// Decodes `item` into member `M` through the read pipeline.
    pub fn decode<M: CollectionModel>(item: Item) -> Result<M> {
        crate::pipeline::finish_read::<M>(item)
    }

    /// `M`'s entity name (`None` when `M` is not an entity).
    pub const fn entity_name<M: CollectionModel>() -> Option<&'static str> {
        match M::ENTITY {
            Some(entity) => Some(entity.name),
            None => None,
        }
    }

    /// `M`'s entity attribute (`None` when `M` is not an entity).
    pub const fn entity_attribute<M: CollectionModel>() -> Option<&'static str> {
        match M::ENTITY {
            Some(entity) => Some(entity.attribute),
            None => None,
        }
    }

    /// Whether two optional names are both set and equal.
    pub const fn same_name(a: Option<&str>, b: Option<&str>) -> bool {
        match (a, b) {
            (Some(a), Some(b)) => str_eq(a, b),
            _ => false,
        }
    }

    /// The name, or `""` when unset (a member without an entity is
    /// reported on its own).
    pub const fn name_or_empty(name: Option<&'static str>) -> &'static str {
        match name {
            Some(name) => name,
            None => "",
        }
    }

    /// What the checks between members read of member `M`, whether or not
    /// `M` is a model: the inherent items below apply when it is one, the
    /// [`NotAModel`] defaults otherwise (an inherent impl whose bounds fail
    /// is skipped in favour of the trait's items). So a member that is not
    /// a model is reported once, by [`model`], and not again by every check
    /// that compares it with the others.
    pub struct Probe<M: ?Sized>(core::marker::PhantomData<M>);

    impl<M: CollectionModel> Probe<M> {
        /// `M` is a model.
        pub const IS_MODEL: bool = true;
        /// [`entity_name`] of `M`.
        pub const ENTITY_NAME: Option<&'static str> = entity_name::<M>();
        /// [`entity_attribute`] of `M`.
        pub const ENTITY_ATTRIBUTE: Option<&'static str> = entity_attribute::<M>();
        /// [`table_name`] of `M`.
        pub const TABLE_NAME: &'static str = table_name::<M>();
        /// [`partition_shape`] of `M`.
        pub const PARTITION_SHAPE: &'static str = partition_shape::<M>();
    }

    impl<M: CollectionModel, First: CollectionModel> Probe<(M, First)> {
        /// Asserts at compile time that `M`'s partition fields are `First`'s
        /// (checked only when both are models).
        pub fn same_partition_fields()
        where
            M::PartitionFields: SamePartitionFields<First::PartitionFields>,
        {
        }
    }

    /// The answers of [`Probe`] for a member that is not a model: neutral,
    /// so only the "not a model" error is reported. Brought into scope by
    /// the generated checks.
    pub trait NotAModel {
        /// Not a model.
        const IS_MODEL: bool = false;
        /// No entity name.
        const ENTITY_NAME: Option<&'static str> = None;
        /// No entity attribute.
        const ENTITY_ATTRIBUTE: Option<&'static str> = None;
        /// No table.
        const TABLE_NAME: &'static str = "";
        /// No partition key.
        const PARTITION_SHAPE: &'static str = "";
        /// Nothing to compare.
        fn same_partition_fields() {}
    }

    impl<M: ?Sized> NotAModel for Probe<M> {}
}

#[cfg(test)]
mod tests {
    use super::checks::{name_or_empty, same_name, str_eq};

    #[test]
    fn const_string_comparisons() {
        assert!(str_eq("CUSTOMER#\0", "CUSTOMER#\0"));
        assert!(!str_eq("CUSTOMER#\0", "CUSTOMER#\0#"));
        assert!(!str_eq("abc", "abd"));
        assert!(!str_eq("abc", "ab"));
        assert!(str_eq("", ""));
        assert!(same_name(Some("a"), Some("a")));
        assert!(!same_name(Some("a"), Some("b")));
        assert!(!same_name(None, Some("a")));
        assert!(!same_name(Some("a"), None));
        assert!(!same_name(None, None));
        assert_eq!(name_or_empty(Some("x")), "x");
        assert_eq!(name_or_empty(None), "");
    }
}
