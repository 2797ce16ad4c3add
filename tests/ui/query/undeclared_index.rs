use dynamodel::{Db, Model};

#[derive(Model)]
#[dynamodel(table = "users", gsi(name = "by_email", hash = email))]
struct User {
    #[dynamodel(hash_key)]
    id: String,
    email: String,
    age: u32,
}

async fn run(db: Db) {
    // No index `by_age` is declared on User.
    let _ = db.query_index(User::indexes().by_age, 30u32).all().await;
}

fn main() {
    let _ = run;
}
