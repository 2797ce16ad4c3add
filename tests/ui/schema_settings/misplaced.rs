use dynamodel::Model;

#[derive(Model)]
#[dynamodel(table = "users", timestamps)]
struct User {
    #[dynamodel(hash_key, default = "x")]
    id: String,
    #[dynamodel(range_key, skip)]
    n: u32,
    #[dynamodel(force_default)]
    a: Option<u32>,
    #[dynamodel(skip, length(max = 2))]
    b: String,
    created_at: u64,
}

fn main() {}
