//! The entity attributes (`dynamodel::entity`) are the model's own: no
//! field is stored under them, no key template writes them, and the
//! version attribute is not the name attribute.

use crate::ast::Model;
use crate::ctxt::Ctxt;

pub fn check(cx: &Ctxt, model: &Model) {
    let Some(entity) = model.entity() else {
        return;
    };
    let attr = model.attrs.entity.as_ref();
    // Point at the setting that chose the name, else at `entity`, else at the struct.
    let span_of = |is_version: bool| -> proc_macro2::TokenStream {
        let chosen = attr.and_then(|a| {
            if is_version {
                a.version_attribute
                    .as_ref()
                    .map(quote::ToTokens::to_token_stream)
                    .or_else(|| a.version.as_ref().map(quote::ToTokens::to_token_stream))
            } else {
                a.attribute.as_ref().map(quote::ToTokens::to_token_stream)
            }
        });
        chosen
            .or_else(|| {
                attr.and_then(|a| a.path.as_ref())
                    .map(quote::ToTokens::to_token_stream)
            })
            .unwrap_or_else(|| quote::ToTokens::to_token_stream(model.ident))
    };
    for (is_version, name) in entity
        .attributes()
        .into_iter()
        .enumerate()
        .map(|(i, n)| (i > 0, n))
    {
        if let Some(field) = model
            .fields
            .iter()
            .find(|f| f.is_stored && f.stored_name() == name)
        {
            cx.error_spanned_by(
                field.ident,
                format!(
                    "field `{}` is stored as `{name}`, the attribute model `{}` writes its entity {} in: rename the field, or set `entity({} = \"...\")`",
                    field.ident,
                    model.ident,
                    if is_version { "version" } else { "name" },
                    if is_version { "version_attribute" } else { "attribute" },
                ),
            );
        }
        let templates = model.attrs.pk.iter().chain(&model.attrs.sk);
        if let Some(template) = templates.into_iter().find(|t| t.name == name) {
            cx.error_spanned_by(
                span_of(is_version),
                format!(
                    "`{name}` is the key attribute `{}` writes: the entity needs another attribute",
                    crate::attr::path_name(&template.path)
                ),
            );
        }
    }
    if let Some((version, _)) = &entity.version {
        if *version == entity.attribute {
            cx.error_spanned_by(
                span_of(true),
                format!("the entity name and version are both stored as `{version}`: give them different attributes"),
            );
        }
    }
}
