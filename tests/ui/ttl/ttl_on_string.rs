use dynamodel::Model;

#[derive(Model)]
struct Session {
    #[dynamodel(hash_key)]
    id: String,
    #[dynamodel(ttl)]
    expires: String,
}

fn main() {}
