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
    // Optional attributes can be removed...
    let _ = db.update::<User>("id").remove(&f.nickname);
    // ...required ones cannot.
    let _ = db.update::<User>("id").remove(&f.age);
}

fn main() {}
