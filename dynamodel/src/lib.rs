//! dynamodel (skeleton; filled in by the foundation work).
#[cfg(feature = "local")]
pub mod local;
