//! The Rust names an index declaration gives the generated code: its
//! handle (a field of `Model::indexes()`) and its marker type. Checks use
//! them too, to refuse two indexes whose handles would clash.

/// `by_email` for "by_email", `email_index` for "email-index".
pub fn index_handle_name(name: &str) -> String {
    let mut out: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert_str(0, "index_");
    }
    out
}

/// `ByEmail` for "by_email" or "by-email": the middle of the marker type's
/// name (`UserByEmailIndex`).
pub fn index_type_name(name: &str) -> String {
    name.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|s| !s.is_empty())
        .map(|s| {
            let mut chars = s.chars();
            match chars.next() {
                Some(first) => first.to_ascii_uppercase().to_string() + chars.as_str(),
                None => String::new(),
            }
        })
        .collect()
}
