use dynamodel::{Db, Model};

#[derive(Model)]
#[dynamodel(table = "users", gsi(name = "by_email", hash = email))]
struct User {
    #[dynamodel(hash_key)]
    id: String,
    email: String,
}

#[derive(Model)]
#[dynamodel(table = "orders")]
struct Order {
    #[dynamodel(hash_key)]
    customer: String,
    #[dynamodel(range_key)]
    number: u64,
}

async fn run(db: Db) {
    // The index's partition key is a String.
    let _ = db.query_index(User::indexes().by_email, 42u64).all().await;
    // The sort key is a u64.
    let _ = db.query::<Order>("c").sort_gt("ten").all().await;
}

fn main() {
    let _ = run;
}
