//! Runnable examples of dynamodel: see `examples/`.
