//! The `shop-stream` Lambda.

fn main() {}
