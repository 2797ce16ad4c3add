//! The `#[derive(Model)]` macro of [dynamodel](https://docs.rs/dynamodel).
//!
//! Use it through `dynamodel::Model`; this crate's items are not meant to be
//! named directly. The macro works in stages, each in its own module:
//! `attr` parses `#[dynamodel(...)]` settings into the `ast` IR, `check`
//! runs the cross-cutting checks, `expand` writes the implementation, and
//! `fallback` writes a stub when there were errors so that one mistake
//! yields one error.

mod ast;
mod attr;
mod check;
mod ctxt;
mod document;
mod document_settings;
mod expand;
mod fallback;
mod indexes;
mod settings;
mod types;
mod update;
mod version;

use proc_macro::TokenStream;

/// Derives `dynamodel::Model` for a struct with named fields.
///
/// Struct settings: `#[dynamodel(table = "name")]`, `rename_all = "camelCase"`,
/// `validate = path`, `hooks`, `timestamps`.
/// Field settings: `hash_key`, `range_key`, `rename = "stored_name"`,
/// `default = expr`, `default_with = path`, `force_default`,
/// `range(min = .., max = ..)`, `length(min = .., max = ..)`, `one_of(..)`,
/// `regex = "..."`, `validate = path`, `set = path`, `get = path`, `skip`,
/// `created_at`, `updated_at`, `unknown`, `version` (optimistic locking on an
/// integer field). The `dynamodel::schema` module documents what each does
/// and in which order.
/// Secondary indexes are struct settings too:
/// `gsi(name = "by_email", hash = email, range = created, projection = "all" | "keys_only" | include(a, b))`
/// and `lsi(name = "by_created", range = created, projection = ...)`.
#[proc_macro_derive(Model, attributes(dynamodel))]
pub fn derive_model(input: TokenStream) -> TokenStream {
    let input = syn::parse_macro_input!(input as syn::DeriveInput);
    expand::derive(&input).into()
}

/// Derives `dynamodel::Attribute` (and `dynamodel::Document`) for a type
/// nested inside a model: a struct with named fields is stored as a map
/// (`M`), member by member, with typed handles on its members; an enum of
/// unit variants is stored as a string (the variant's name or its
/// `#[dynamodel(rename = "...")]`).
///
/// Member settings: `rename`, `null`, `serde`, `date = "..."`, the
/// validation settings `range(..)`, `length(..)`, `one_of(..)`,
/// `regex = ".."`, `validate = path`, and the transforms `set = path` /
/// `get = path`. Struct settings: `validate = path`, `rename_all = ".."`
/// (`rename_all` only on enums). `dynamodel::document` documents when each
/// applies.
#[proc_macro_derive(Document, attributes(dynamodel))]
pub fn derive_document(input: TokenStream) -> TokenStream {
    let input = syn::parse_macro_input!(input as syn::DeriveInput);
    document::derive(&input).into()
}
