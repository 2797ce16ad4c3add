//! The `#[derive(Model)]` and `#[derive(Document)]` macros of
//! [dynamodel](https://docs.rs/dynamodel).
//!
//! Use them through `dynamodel::Model` / `dynamodel::Document`; this
//! crate's items are not meant to be named directly. Both derives run the
//! same stages, each a module that imports only the stages before it:
//!
//! 1. `attr` parses the `#[dynamodel(...)]` settings of the type, its
//!    fields, variants and indexes into plain data, checking each setting's
//!    own value;
//! 2. `ast` builds the IR (a model or a document and its fields), computing
//!    once what later stages ask: stored names, keys, stored fields,
//!    timestamp roles;
//! 3. `check` runs every rule relating settings, types and fields;
//! 4. `expand` writes the implementation, one file per generated piece;
//! 5. `fallback` writes, when there were errors, the errors and a stub
//!    implementation, so that one mistake yields one error.
//!
//! Every error of stages 1 to 3 is collected in a `ctxt::Ctxt` and reported
//! at once.

mod ast;
mod attr;
mod check;
mod ctxt;
mod expand;
mod fallback;

use proc_macro::TokenStream;

/// Derives `dynamodel::Model` for a struct with named fields.
///
/// Struct settings: `#[dynamodel(table = "name")]`, `rename_all = "camelCase"`,
/// `validate = path`, `hooks`, `timestamps`, `projection_of = Model` (this
/// struct reads a subset of `Model`'s attributes: `.project::<Self>()` on
/// `Model`'s gets, batch gets, transaction gets, queries and scans; each of
/// its fields must be a field of `Model` of the same type, a compile error
/// otherwise).
/// Field settings: `hash_key`, `range_key`, `rename = "stored_name"`,
/// `default = expr`, `default_with = path`, `force_default`,
/// `generate = "uuid_v4" | "uuid_v7" | "ulid"` (also on keys),
/// `range(min = .., max = ..)`, `length(min = .., max = ..)`, `one_of(..)`,
/// `regex = "..."`, `validate = path`, `set = path`, `get = path`, `skip`,
/// `created_at`, `updated_at`, `unknown`, `version` (optimistic locking on an
/// integer field), `ttl` (DynamoDB's time-to-live: an epoch-seconds integer
/// or a date-time, stored as epoch seconds; `ttl, truncate` rounds a
/// sub-second date-time toward the past, `ttl, round` to the nearest
/// second; one per model). The `dynamodel::pipeline` module documents what each does
/// and in which order.
/// Secondary indexes are struct settings too:
/// `gsi(name = "by_email", hash = email, range = created, projection = "all" | "keys_only" | include(a, b))`
/// and `lsi(name = "by_created", range = created, projection = ...)`.
#[proc_macro_derive(Model, attributes(dynamodel))]
pub fn derive_model(input: TokenStream) -> TokenStream {
    let input = syn::parse_macro_input!(input as syn::DeriveInput);
    model(&input).into()
}

/// Derives `dynamodel::Collection` for an enum whose variants each hold one
/// model sharing a partition (`enum CustomerPage { Customer(Customer),
/// Order(Order) }`), so that one query returns them all; see
/// `dynamodel::collection` for the rules, checked at compile time.
#[proc_macro_derive(Collection, attributes(dynamodel))]
pub fn derive_collection(input: TokenStream) -> TokenStream {
    let input = syn::parse_macro_input!(input as syn::DeriveInput);
    collection(&input).into()
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
    document(&input).into()
}

fn model(input: &syn::DeriveInput) -> proc_macro2::TokenStream {
    run_stages(
        input,
        ast::Model::from_input,
        check::model,
        expand::model,
        fallback::model,
    )
}

fn collection(input: &syn::DeriveInput) -> proc_macro2::TokenStream {
    run_stages(
        input,
        ast::Collection::from_input,
        |_, _| {},
        expand::collection,
        fallback::collection,
    )
}

fn document(input: &syn::DeriveInput) -> proc_macro2::TokenStream {
    run_stages(
        input,
        ast::Document::from_input,
        check::document,
        expand::document,
        fallback::document,
    )
}

/// IR, then checks, then either the expansion or, when any stage recorded
/// an error, the fallback.
fn run_stages<'a, T>(
    input: &'a syn::DeriveInput,
    from_input: fn(&ctxt::Ctxt, &'a syn::DeriveInput) -> Option<T>,
    check: fn(&ctxt::Ctxt, &T),
    expand: fn(&T) -> proc_macro2::TokenStream,
    fallback: fn(&syn::DeriveInput, syn::Error) -> proc_macro2::TokenStream,
) -> proc_macro2::TokenStream {
    let cx = ctxt::Ctxt::new();
    let ir = from_input(&cx, input);
    if let Some(ir) = &ir {
        check(&cx, ir);
    }
    match (cx.check(), ir) {
        (Ok(()), Some(ir)) => expand(&ir),
        (Err(error), _) => fallback(input, error),
        // `from_input` only returns None after recording an error.
        (Ok(()), None) => proc_macro2::TokenStream::new(),
    }
}
