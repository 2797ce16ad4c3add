use dynamodel::{Db, Model};

#[derive(Model)]
struct User {
    #[dynamodel(hash_key)]
    id: String,
    name: String,
}

#[derive(Model)]
struct Team {
    #[dynamodel(hash_key)]
    id: String,
    name: String,
}

fn build(db: &Db) {
    // A patch updates its own model only.
    let _ = db.update::<Team>("t1").patch(UserPatch {
        name: Some("Ada".into()),
    });
    // Its values have the field's type.
    let _ = UserPatch { name: Some(3) };
}

fn main() {}
