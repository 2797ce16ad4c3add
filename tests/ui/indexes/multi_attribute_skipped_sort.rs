use dynamodel::{Db, Model};

#[derive(Model)]
#[dynamodel(table = "orders", gsi(name = "by_region", hash(region, status), range(placed_at, seq, order_id)))]
struct Order {
    #[dynamodel(hash_key)]
    order_id: String,
    region: String,
    status: String,
    placed_at: u64,
    seq: u32,
}

// A sort condition names a left part of the sort attributes: skipping `seq`
// does not compile.
async fn skipped(db: Db) {
    let _ = db
        .query_index(Order::indexes().by_region, ("eu".to_owned(), "PAID".to_owned()))
        .sort_gt((7u64, "id".to_owned()))
        .all()
        .await;
}

fn main() {
    let _ = skipped;
}
