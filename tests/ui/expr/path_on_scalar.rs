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

fn main() {
    let f = User::fields();
    // `key` is for map attributes, `at` for lists.
    let _ = f.name.key("theme");
    let _ = f.age.at(0);
}
