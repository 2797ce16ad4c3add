use dynamodel::{Db, Model};

#[derive(Model)]
struct User {
    #[dynamodel(hash_key)]
    id: String,
    name: String,
    age: u32,
    active: bool,
    nickname: Option<String>,
}

fn build(db: &Db) {
    let f = User::fields();
    // increment works on numbers only.
    let _ = db.update::<User>("id").increment(&f.active, true);
}

fn main() {}
