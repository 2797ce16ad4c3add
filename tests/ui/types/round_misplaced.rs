use chrono::{DateTime, Utc};
use dynamodel::Model;

#[derive(Model)]
struct Event {
    #[dynamodel(hash_key)]
    id: String,
    #[dynamodel(range_key, date = "seconds", round)]
    at: DateTime<Utc>,
    // `round` is for epoch seconds only.
    #[dynamodel(date = "millis", round)]
    seen: DateTime<Utc>,
    #[dynamodel(date = "seconds", round, truncate)]
    both: DateTime<Utc>,
}

fn main() {}
