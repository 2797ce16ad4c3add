use chrono::{DateTime, Utc};
use dynamodel::Model;

#[derive(Model)]
#[dynamodel(gsi(name = "by_day", hash = day))]
struct Visit {
    #[dynamodel(hash_key)]
    id: String,
    #[dynamodel(date = "iso8601", truncate)]
    day: DateTime<Utc>,
}

fn main() {}
