use dynamodel::{Db, Model};

#[derive(Model, Debug, Clone)]
#[dynamodel(table = "orders")]
struct Order {
    #[dynamodel(hash_key)]
    user: String,
    #[dynamodel(range_key)]
    number: i64,
}

fn main() {}

fn reads(db: &Db) {
    // The parts swapped: a number where the user goes.
    let _ = db.get::<Order>((2, "u-1"));
    // The sort key left out.
    let _ = db.delete::<Order>("u-1");
}
