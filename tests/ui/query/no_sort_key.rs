use dynamodel::{Db, Model};

#[derive(Model)]
#[dynamodel(table = "users", gsi(name = "by_email", hash = email))]
struct User {
    #[dynamodel(hash_key)]
    id: String,
    email: String,
}

async fn run(db: Db) {
    // Neither the table nor the index has a sort key.
    let _ = db.query::<User>("u1").sort_gt("a".to_string()).all().await;
    let _ = db.query_index(User::indexes().by_email, "e").sort_eq("x".to_string()).all().await;
}

fn main() {
    let _ = run;
}
