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
    // An update value must have the field's type.
    let _ = db.update::<User>("id").set(&f.age, "thirty");
    // And the field must exist.
    let _ = db.update::<User>("id").set(&f.email, "a@b.c");
}

fn main() {}
