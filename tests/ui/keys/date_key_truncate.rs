use chrono::{DateTime, Utc};
use dynamodel::Model;

#[derive(Model)]
struct Event {
    #[dynamodel(hash_key)]
    stream: String,
    #[dynamodel(range_key, date = "seconds", truncate)]
    at: DateTime<Utc>,
}

fn main() {}
