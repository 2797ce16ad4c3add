use dynamodel::Model;

fn lower(v: String) -> String {
    v.to_lowercase()
}

#[derive(Model)]
#[dynamodel(table = "users")]
struct User {
    #[dynamodel(hash_key, set = lower)]
    email: String,
    #[dynamodel(range_key, get = lower)]
    kind: String,
}

fn main() {}
