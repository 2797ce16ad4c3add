//! The `shop-api` Lambda.

fn main() {}
