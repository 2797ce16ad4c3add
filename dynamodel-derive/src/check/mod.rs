//! Stage 3: the rules that relate settings to each other, to the fields'
//! types and to other fields — two partition keys, settings a key cannot
//! take, index keys naming real fields, timestamps, two fields stored under
//! one name, the settings a document member refuses. Every error goes to
//! the [`Ctxt`], so one compile reports them all; expansion runs only when
//! there were none.

mod document;
mod entity;
mod indexes;
mod keys;
mod names;
mod settings;
mod storage;
mod templates;
mod ttl;
mod version;

use crate::ast::{Document, Model, Shape};
use crate::ctxt::Ctxt;

/// Checks a model, in the order its errors are reported.
pub fn model(cx: &Ctxt, model: &Model) {
    if model.has_templates() || model.attrs.sk.is_some() {
        templates::check(cx, model);
    } else {
        keys::check(cx, model);
    }
    names::check_model(cx, model);
    names::check_serde(cx, model);
    settings::check(cx, model);
    indexes::check(cx, model);
    for field in &model.fields {
        storage::check_field(cx, field, false);
    }
    version::check(cx, model);
    ttl::check(cx, model);
    entity::check(cx, model);
}

/// Checks a document, in the order its errors are reported.
pub fn document(cx: &Ctxt, document: &Document) {
    let is_enum = matches!(document.shape, Shape::Enum(_));
    document::check_container(cx, &document.attrs, is_enum);
    match &document.shape {
        Shape::Struct(fields) => {
            for field in fields {
                storage::check_field(cx, field, true);
                document::check_member(cx, field);
            }
            names::check_members(cx, fields);
        }
        Shape::Enum(variants) => {
            for variant in variants {
                document::check_variant(cx, &variant.attrs);
            }
            names::check_variants(cx, variants);
        }
    }
}
