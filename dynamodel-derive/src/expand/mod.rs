//! Stage 4: the generated code, for a model or document that passed
//! `check`. One file per generated piece; `model` and `document` put the
//! pieces together. Generated code names everything by absolute path
//! (`::dynamodel::__private::...`, `::core::...`).

mod adapter;
mod attribute;
mod collection;
mod document;
mod entity;
mod handles;
mod index_template;
mod indexes;
mod item;
mod key;
mod members;
mod model;
mod multi_key;
mod patch;
mod pipeline;
mod projection;
mod slots;
mod template;
mod ttl;
mod unit_enum;
mod updates;
mod validation;
mod values;
mod version;

use proc_macro2::TokenStream;

use crate::ast::{Collection, Document, Model, Shape};

/// Everything `#[derive(Model)]` emits for a checked model.
pub fn model(model: &Model) -> TokenStream {
    model::expand(model)
}

/// Everything `#[derive(Document)]` emits for a checked document.
pub fn document(document: &Document) -> TokenStream {
    match &document.shape {
        Shape::Struct(fields) => document::expand(document, fields),
        Shape::Enum(variants) => unit_enum::expand(document, variants),
    }
}

/// Everything `#[derive(Collection)]` emits for a checked enum.
pub fn collection(collection: &Collection) -> TokenStream {
    collection::expand(collection)
}
