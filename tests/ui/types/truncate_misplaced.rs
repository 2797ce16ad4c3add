use dynamodel::Model;

#[derive(Model)]
#[dynamodel(table = "events")]
struct Event {
    #[dynamodel(hash_key)]
    id: String,
    #[dynamodel(truncate)]
    at: chrono::DateTime<chrono::Utc>,
    #[dynamodel(date = "iso8601_nanos", truncate)]
    seen: chrono::DateTime<chrono::Utc>,
}

fn main() {}
