use dynamodel::{Db, Model};

#[derive(Model)]
#[dynamodel(timestamps)]
struct User {
    #[dynamodel(hash_key)]
    id: String,
    name: String,
    email: String,
    #[dynamodel(version)]
    version: u64,
    created_at: u64,
    updated_at: u64,
}

fn build(db: &Db) {
    // `name` may be patched...
    let _ = db.update::<User>("u1").patch(UserPatch {
        name: Some("Ada".into()),
        ..UserPatch::default()
    });
    // ...the key, the version and the timestamps (written by dynamodel)
    // have no field in the patch.
    let _ = UserPatch {
        id: Some("u2".into()),
        version: Some(3),
        created_at: Some(0),
        ..UserPatch::default()
    };
}

fn main() {}
