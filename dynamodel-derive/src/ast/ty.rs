//! What a field's type is, read from how it is written: `Option<T>`,
//! `Vec<u8>`. A derive sees tokens, not types, so these go by the path's
//! last segment.

/// `Some(T)` when `ty` is written `Option<T>` (or `std::option::Option<T>`).
pub fn option_inner(ty: &syn::Type) -> Option<&syn::Type> {
    let syn::Type::Path(path) = ty else {
        return None;
    };
    if path.qself.is_some() {
        return None;
    }
    let last = path.path.segments.last()?;
    if last.ident != "Option" {
        return None;
    }
    let syn::PathArguments::AngleBracketed(args) = &last.arguments else {
        return None;
    };
    match args.args.first()? {
        syn::GenericArgument::Type(inner) if args.args.len() == 1 => Some(inner),
        _ => None,
    }
}

/// `true` when `ty` is written `Vec<u8>` (any path ending in `Vec`).
pub fn is_vec_u8(ty: &syn::Type) -> bool {
    let syn::Type::Path(path) = ty else {
        return false;
    };
    let Some(last) = path.path.segments.last() else {
        return false;
    };
    if last.ident != "Vec" {
        return false;
    }
    let syn::PathArguments::AngleBracketed(args) = &last.arguments else {
        return false;
    };
    matches!(
        args.args.first(),
        Some(syn::GenericArgument::Type(syn::Type::Path(inner)))
            if args.args.len() == 1 && inner.qself.is_none() && inner.path.is_ident("u8")
    )
}
