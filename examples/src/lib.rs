//! Runnable examples of dynamodel: see `examples/`. The models and access
//! patterns of the shop example live here, so tests and other examples can
//! reuse them.

pub mod shop;
