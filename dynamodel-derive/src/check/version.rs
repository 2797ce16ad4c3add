//! `#[dynamodel(version)]`: at most one version field, not a key, not an
//! `Option`.

use crate::ast::{Field, Model};
use crate::ctxt::Ctxt;

pub fn check(cx: &Ctxt, model: &Model) {
    let versions: Vec<&Field> = model
        .fields
        .iter()
        .filter(|f| f.attrs.version.is_some())
        .collect();
    for extra in versions.iter().skip(1) {
        if let Some(path) = &extra.attrs.version {
            cx.error_spanned_by(
                path,
                "a model has at most one version attribute, but `version` is set on a second field",
            );
        }
    }
    for field in &versions {
        let Some(path) = &field.attrs.version else {
            continue;
        };
        if field.is_key {
            cx.error_spanned_by(path, "a key attribute cannot be the version attribute");
        }
        if field.option_inner().is_some() {
            cx.error_spanned_by(
                field.ty,
                "the version attribute cannot be an Option: use an integer starting at 0 (0 = never stored)",
            );
        }
    }
}
