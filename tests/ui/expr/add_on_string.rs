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
    // ADD works on numbers and sets only.
    let _ = db.update::<User>("id").add(&f.name, "x");
}

fn main() {}
