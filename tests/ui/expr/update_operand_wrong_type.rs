use std::collections::HashSet;

use dynamodel::{Db, Model};

#[derive(Model)]
struct Post {
    #[dynamodel(hash_key)]
    id: String,
    views: u32,
    tags: HashSet<String>,
}

fn build(db: &Db) {
    let f = Post::fields();
    // An amount must fit the field's type: an i64 does not convert into a u32...
    let _ = db.update::<Post>("id").increment(&f.views, 1i64);
    // ... set elements come as a set (or an array of the element type)...
    let _ = db.update::<Post>("id").add(&f.tags, "rust");
    // ... of the set's own element type.
    let _ = db.update::<Post>("id").delete(&f.tags, [1u8]);
}

fn main() {}
