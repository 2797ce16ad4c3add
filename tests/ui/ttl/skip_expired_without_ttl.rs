use dynamodel::{Db, Model};

#[derive(Model)]
struct Session {
    #[dynamodel(hash_key)]
    id: String,
    expires: i64,
}

async fn read(db: Db) {
    let _ = db.get::<Session>("a").skip_expired().await;
}

fn main() {}
