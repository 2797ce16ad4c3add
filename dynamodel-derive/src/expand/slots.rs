//! The name lookup of a one-pass decode (`dynamodel::__private::Slots`),
//! shared by a model's `from_item` and a document's `from_attribute`: the
//! slot names, and a `match` from an attribute name to its slot.

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::quote;

/// `const NAMES` (each slot's attribute name, in slot order) and `fn
/// slot_of`, the slot of an attribute name, by a `match` on its length then
/// on the names of that length (no hashing, a few comparisons). `names`
/// holds no name twice.
pub fn lookup(names: &[String]) -> TokenStream {
    let count = names.len();
    let mut by_length: BTreeMap<usize, Vec<(usize, &str)>> = BTreeMap::new();
    for (index, name) in names.iter().enumerate() {
        by_length.entry(name.len()).or_default().push((index, name));
    }
    let arms = by_length.iter().map(|(length, names)| {
        let inner = names
            .iter()
            .map(|(index, name)| quote!(#name => ::core::option::Option::Some(#index),));
        quote! {
            #length => match name {
                #(#inner)*
                _ => ::core::option::Option::None,
            },
        }
    });
    quote! {
        const NAMES: &[&::core::primitive::str; #count] = &[#(#names),*];

        fn slot_of(
            name: &::core::primitive::str,
        ) -> ::core::option::Option<::core::primitive::usize> {
            match name.len() {
                #(#arms)*
                _ => ::core::option::Option::None,
            }
        }
    }
}
