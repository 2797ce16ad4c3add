use dynamodel::{Db, Model};

#[derive(Model)]
#[dynamodel(table = "users")]
struct User {
    #[dynamodel(hash_key)]
    id: String,
    name: String,
}

// Same attributes, but not declared `projection_of = User`.
#[derive(Model)]
#[dynamodel(table = "users")]
struct UserName {
    #[dynamodel(hash_key)]
    id: String,
    name: String,
}

async fn read(db: Db) {
    let _ = db.get::<User>("u-1").project::<UserName>().await;
}

fn main() {
    let _ = read;
}
