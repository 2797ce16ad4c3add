use chrono::{DateTime, Utc};
use dynamodel::Model;

#[derive(Model)]
struct Event {
    #[dynamodel(hash_key)]
    id: String,
    #[dynamodel(range_key, date = "seconds", round)]
    at: DateTime<Utc>,
    // `iso8601_nanos` keeps every nanosecond: nothing to round.
    #[dynamodel(date = "iso8601_nanos", round)]
    seen: DateTime<Utc>,
    // Without a date storage or `ttl`, there is no unit to round to.
    #[dynamodel(round)]
    plain: DateTime<Utc>,
    #[dynamodel(date = "seconds", round, truncate)]
    both: DateTime<Utc>,
}

fn main() {}
