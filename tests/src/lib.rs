//! Test support for dynamodel.
