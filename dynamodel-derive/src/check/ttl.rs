//! `#[dynamodel(ttl)]`: at most one TTL field, not a key, not a timestamp,
//! stored by `ttl` alone (no `date`, no `serde`: TTL needs epoch seconds).
//! The field's type is checked by the `TtlValue` bound on the generated code.

use crate::ast::{Field, Model};
use crate::ctxt::Ctxt;

pub fn check(cx: &Ctxt, model: &Model) {
    let ttls: Vec<&Field> = model
        .fields
        .iter()
        .filter(|f| f.attrs.ttl.is_some())
        .collect();
    for extra in ttls.iter().skip(1) {
        if let Some(path) = &extra.attrs.ttl {
            cx.error_spanned_by(
                path,
                format!(
                    "a table has one TTL attribute, but `ttl` is set on a second field, `{}` (the first is `{}`)",
                    extra.ident, ttls[0].ident
                ),
            );
        }
    }
    for field in &ttls {
        let Some(path) = &field.attrs.ttl else {
            continue;
        };
        let name = field.ident;
        if field.is_key || field.in_template {
            cx.error_spanned_by(
                path,
                format!("key field `{name}` cannot be the TTL attribute: an expiry that moves the key would lose the item"),
            );
        }
        if let Some(date) = &field.attrs.date {
            cx.error_spanned_by(
                date,
                format!("field `{name}` is the TTL attribute, always stored as epoch seconds (what DynamoDB's TTL reads): remove `date`"),
            );
        }
        if let Some(serde) = &field.attrs.serde {
            cx.error_spanned_by(
                serde,
                format!("field `{name}` is the TTL attribute, always stored as epoch seconds (what DynamoDB's TTL reads): remove `serde`"),
            );
        }
        if let Some(timestamp) = &field.timestamp {
            cx.syn_error(syn::Error::new(
                timestamp.span,
                format!("field `{name}` cannot be both a timestamp and the TTL attribute: compute the expiry in its own field"),
            ));
        }
    }
}
