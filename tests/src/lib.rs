//! Test support for dynamodel.
pub mod fault;
