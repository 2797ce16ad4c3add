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
    // Booleans have no order in DynamoDB.
    let _ = User::fields().active.gt(false);
}
