use dynamodel::Model;

#[derive(Model)]
struct Session {
    #[dynamodel(hash_key)]
    id: String,
    #[dynamodel(ttl, date = "iso8601")]
    expires: chrono::DateTime<chrono::Utc>,
    #[dynamodel(updated_at)]
    updated: u64,
}

#[derive(Model)]
struct KeyExpiry {
    #[dynamodel(hash_key, ttl)]
    expires: u64,
}

fn main() {}
