use dynamodel::Model;

#[derive(Model)]
struct Session {
    #[dynamodel(hash_key)]
    id: String,
    #[dynamodel(ttl)]
    expires: i64,
    #[dynamodel(ttl)]
    purge_at: Option<u64>,
}

fn main() {}
