//! A typed modeling library (an ORM) for Amazon DynamoDB.
//!
//! Put `#[derive(Model)]` on a struct and get its schema, conversions and
//! typed, placeholder-safe operations:
//!
//! ```
//! use dynamodel::{Db, Model};
//!
//! #[derive(Model, Debug, Clone, PartialEq)]
//! #[dynamodel(table = "users")]
//! struct User {
//!     #[dynamodel(hash_key)]
//!     id: String,
//!     name: String,
//!     age: u32,
//!     nickname: Option<String>,
//! }
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! // In production (feature `aws-config`): let db = Db::from_env().await;
//! let db = Db::new(dynamodel::local::client().await?).with_table_prefix("doc-");
//! db.create_table::<User>().await?;
//!
//! let ada = User { id: "u1".into(), name: "Ada".into(), age: 36, nickname: None };
//! db.create(&ada).await?;
//! assert!(db.create(&ada).await.unwrap_err().is_already_exists());
//!
//! let read = db.get::<User>("u1").consistent().await?;
//! assert_eq!(read, Some(ada));
//!
//! db.delete::<User>("u1").await?;
//! assert_eq!(db.get::<User>("u1").consistent().await?, None);
//! # Ok(())
//! # }
//! ```
//!
//! Start from [`Db`]; the [`Model`] trait documents what the derive generates.
//!
//! # Updates from a value
//!
//! Besides typed `set` / `add` / `remove` on single attributes
//! ([`ops::Update`]), an update can write a partial value: the derive
//! generates `UserPatch` with an `Option` per field an update may write, and
//! `db.update::<User>(key).patch(UserPatch { name: Some(..), ..Default::default() })`
//! writes the fields given ([`ops::update::patch`]). An item read with
//! `db.get::<User>(key).tracked()` can be changed in place and saved with
//! [`Db::save_changes`], which writes only the attributes that changed
//! ([`ops::update::tracked`]). Both go through the same per-attribute
//! pipeline as `set` ([`pipeline`], "Updates").
//!
//! # Single-table design
//!
//! Keys composed from fields ([`key`]) let several models share one table.
//! Each such model is an entity ([`entity`]): its items carry its name, and
//! its reads see only its own items (another entity's item under the same
//! key is not found, queries and scans filter the others out on the
//! server). A [`Collection`] enum reads several entities of one partition
//! in one query ([`collection`]).
//!
//! # No values in messages
//!
//! Stored values and keys often hold personal data (partition keys are
//! often e-mail addresses), and `Debug` and `Display` output ends up in logs
//! (`.unwrap()` and `.expect()` print `Debug`). So the `Debug` and `Display`
//! of every public type — builders, dry-run [`ops::Request`]s, results, every
//! [`Error`] and its `source()` chain — show models, tables, attribute names
//! and DynamoDB types (`S(<redacted>)`), never values; the values stay
//! reachable through methods ([`redact::RedactedItem::item`],
//! [`error::KeyDescription::attributes`], ...) for code that decides to log
//! them. dynamodel's tracing events follow the same rule.
//!
//! The AWS SDK's own logs do not: at `TRACE` level its crates
//! (`aws_smithy_runtime`, `aws_smithy_http_client`, `hyper`, ...) log whole
//! request and response bodies, items and keys included. Keep them at
//! `DEBUG` or below in production (for example
//! `RUST_LOG=info,dynamodel=debug`, never a bare `RUST_LOG=trace`).

#![warn(missing_docs)]
// On the docs host (nightly rustdoc), label feature-gated items with their feature.
#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod collection;
#[cfg(feature = "aws-config")]
pub mod config;
mod db;
pub mod document;
pub mod entity;
pub mod error;
pub mod expr;
mod generated;
pub mod key;
pub mod limits;
#[cfg(feature = "local")]
pub mod local;
pub mod model;
pub mod ops;
pub mod pipeline;
pub mod query;
pub mod redact;
pub mod schema;
pub mod settings;
#[cfg(feature = "streams")]
pub mod stream;
pub mod table;
mod trace;
pub mod value;
pub mod version;
mod write_kind;

pub use collection::Collection;
pub use db::Db;
pub use document::Document;
pub use error::{Error, Result};
pub use model::Model;
pub use settings::{Hooks, ValidationErrors};
pub use value::{Attribute, Binary, ConvertError, KeyAttribute, Number};

#[cfg(feature = "derive")]
pub use dynamodel_derive::{Collection, Document, Model};

pub use aws_sdk_dynamodb::types::AttributeValue;

/// The `async-trait` attribute, for implementing the `async fn` hooks of
/// [`Hooks`] without a dependency of your own: `#[dynamodel::async_trait]`.
pub use async_trait::async_trait;

/// The README's code sample, compiled as a doctest so it cannot drift from
/// the API.
#[doc = include_str!("../../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;

/// The `aws-config` crate (feature `aws-config`), for [`Db::config_loader`]'s
/// settings without a dependency of your own.
#[cfg(feature = "aws-config")]
pub use aws_config;

/// A DynamoDB item: attribute names to values.
pub type Item = std::collections::HashMap<String, AttributeValue>;

/// Implements [`stream::StreamItem`] for a `#[derive(Collection)]` enum
/// (called by the derive): each record decodes into the member its image's
/// entity names.
#[cfg(feature = "streams")]
#[doc(hidden)]
#[macro_export]
macro_rules! collection_stream_item {
    ($collection:ty) => {
        // Gated like the collection's impl, so a member that is not a model
        // is reported once, by the derive's own check.
        #[automatically_derived]
        impl $crate::stream::StreamItem for $collection
        where
            for<'__m> $collection: $crate::__private::Collection,
        {
            type Key = <$collection as $crate::__private::Collection>::Key;

            const NAME: &'static str = <$collection as $crate::__private::Collection>::NAME;

            fn claim(
                _keys: &$crate::__private::Item,
                image: $crate::__private::Option<&$crate::__private::Item>,
            ) -> $crate::stream::Claim {
                $crate::stream::collection::claim::<Self>(image)
            }

            fn decode_image(
                image: $crate::__private::Item,
            ) -> $crate::__private::Result<Self, $crate::__private::Error> {
                $crate::stream::collection::decode_image::<Self>(image)
            }

            /// The entity cannot be told from the key attributes: the key
            /// comes from an image.
            fn decode_key(
                _keys: &$crate::__private::Item,
            ) -> $crate::__private::Option<
                $crate::__private::Result<Self::Key, $crate::__private::Error>,
            > {
                $crate::__private::Option::None
            }

            fn key_of(&self) -> Self::Key {
                $crate::__private::Collection::key(self)
            }
        }
    };
}

/// Without the `streams` feature, collections are not stream items.
#[cfg(not(feature = "streams"))]
#[doc(hidden)]
#[macro_export]
macro_rules! collection_stream_item {
    ($collection:ty) => {};
}

/// Paths used by generated code, and only by it: every runtime item a derive
/// names is re-exported here. The functions that exist only for generated
/// code live in `crate::generated`. Not public API: may change in any release.
#[doc(hidden)]
pub mod __private {
    pub use crate::collection::{checks as collection_checks, Collection, Member, SharedPartition};
    pub use crate::collection_stream_item;
    pub use crate::document::Document;
    pub use crate::entity::{Entity, SchemaVersion};
    pub use crate::expr::{Field, Optional, Path, PathElement, Required};
    pub use crate::generated::fields::{
        decode_key_with, document_map, encode_field, encode_field_into, encode_field_with,
        encode_key, encode_key_text, encode_key_with, encode_member, write_unknown,
    };
    pub use crate::generated::item_template::{
        encode_entity_into, encode_in_order, encode_key_into, ItemTemplate,
    };
    pub use crate::generated::settings::{
        touch_created, touch_updated, transform, transform_option, whole_seconds,
    };
    pub use crate::generated::slots::Slots;
    pub use crate::generated::storage::{assert_date_time, NotAStorage, StorageProbe};
    pub use crate::generated::validation::{
        adapted_rule, check_length, check_one_of, check_range, Bound,
    };
    #[cfg(feature = "regex")]
    pub use crate::generated::validation::{check_regex, compile_regex, LazyRegex};
    pub use crate::key::template::{
        encode_part, IndexKeyTemplate, KeyPart, KeyText, Segment, TemplatePiece,
    };
    pub use crate::key::StoredKey;
    pub use crate::model::GeneratedField;
    pub use crate::ops::keys::CanonicalKeyWriter;
    pub use crate::ops::update::patch::{
        patch_remove, patch_set, patch_set_adapted, patch_set_null,
    };
    pub use crate::ops::{Patchable, Update};
    pub use crate::pipeline::finish_read;
    pub use crate::query::{
        Index, KeyValues, NoSortKey, PrefixSortKey, ProjectionOf, Queryable, SortKey,
    };
    pub use crate::schema::{
        IndexKind, IndexProjection, IndexSchema, KeyAttr, KeySchema, ScalarType,
    };
    pub use crate::settings::{
        BoxError, Emptiable, GenerateUlid, GenerateUuid, HasLength, HookFuture, Hooks, Ranged,
        Text, Timestamp, UpdateInfo, UpdateReturn, ValidationErrors, ValidationOutcome,
    };
    pub use crate::table::HasTtl;
    pub use crate::value::adapter::{
        Adapter, Bytes as BytesAdapter, Iso8601, Iso8601Micros, Iso8601MicrosRounded,
        Iso8601MicrosTruncated, Iso8601Nanos, Iso8601Rounded, Iso8601Truncated, KeyAdapter, Millis,
        MillisRounded, MillisTruncated, Native, Null, Opt, Seconds, SecondsRounded,
        SecondsTruncated, Serde,
    };
    pub use crate::value::ttl::{Ttl, TtlRounded, TtlValue};
    pub use crate::value::{
        type_name, validate_members_under, Attribute, ConvertError, KeyAttribute,
    };
    pub use crate::version::VersionAttribute;
    pub use crate::write_kind::{UpdateKind, WriteKind};
    pub use crate::{AttributeValue, Error, Item, Model};
    pub use ::core::marker::PhantomData;
    pub use ::core::option::Option;
    pub use ::core::result::Result;
    pub use ::std::collections::HashMap;
    pub use ::std::string::String;
    pub use ::std::sync::OnceLock;
    pub use ::std::time::SystemTime;
    pub use ::std::vec::Vec;
}
