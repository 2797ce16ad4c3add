use std::collections::HashSet;

use dynamodel::Model;

#[derive(Model)]
struct Event {
    #[dynamodel(hash_key)]
    id: String,
    flags: HashSet<bool>,
}

fn main() {}
