//! Stage 1: reading `#[dynamodel(...)]` settings into plain data.
//!
//! Each setting is parsed where it is written: on the struct
//! ([`StructAttrs`], with its `gsi` / `lsi` declarations as [`IndexAttr`]),
//! or on a field or enum variant ([`FieldAttrs`]). A setting's own value is
//! checked here (a known date format, a valid regex, a table name DynamoDB
//! accepts, a setting given twice, a typo with its "did you mean");
//! everything that relates two settings or two fields is left to `check`.
//! The values keep their syn nodes so later errors point at them.

mod container;
mod entity;
mod field;
mod index;
mod parse;
mod rename;
mod serde_names;
mod template;

pub use container::{is_valid_table_name, StructAttrs};
pub use field::{Bound, FieldAttrs};
pub use index::{IndexAttr, ProjectionAttr};
pub use parse::did_you_mean;
pub use parse::path_name;
pub use rename::apply_rule;
pub use serde_names::serde_name;
pub use template::{Piece, TemplateAttr};
