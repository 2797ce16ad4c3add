use chrono::{DateTime, Utc};
use dynamodel::{Db, Model};

#[derive(Model)]
struct Event {
    #[dynamodel(hash_key)]
    stream: String,
    #[dynamodel(range_key, date = "iso8601")]
    at: DateTime<Utc>,
}

fn query(db: &Db, day: DateTime<Utc>) {
    let _ = db.query::<Event>("s").sort_begins_with(day);
}

fn main() {}
