use chrono::{DateTime, Utc};
use dynamodel::Model;

#[derive(Model)]
struct Event {
    #[dynamodel(hash_key)]
    stream: String,
    #[dynamodel(range_key, date = "iso8601")]
    at: Option<DateTime<Utc>>,
}

fn main() {}
