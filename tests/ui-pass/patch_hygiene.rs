//! A model whose fields are named like the generated patch code's locals
//! (`update`, `patch`, `fields`, `changed`, `value`) and that has only key
//! fields next to it still compiles, with no warnings.
#![deny(warnings)]

use dynamodel::Model;

#[derive(Model, Clone)]
pub struct Locals {
    #[dynamodel(hash_key)]
    pub id: String,
    pub update: Option<String>,
    pub patch: u32,
    pub fields: Vec<u8>,
    pub changed: bool,
    pub value: Option<i64>,
}

#[derive(Model, Clone)]
pub struct OnlyKeys {
    #[dynamodel(hash_key)]
    pub id: String,
    #[dynamodel(range_key)]
    pub at: u64,
}

fn main() {
    let _ = LocalsPatch::default();
    let _ = OnlyKeysPatch::default();
}
