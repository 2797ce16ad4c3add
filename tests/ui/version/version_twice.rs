use dynamodel::Model;

#[derive(Model)]
struct Doc {
    #[dynamodel(hash_key)]
    id: String,
    #[dynamodel(version)]
    version: u64,
    #[dynamodel(version)]
    revision: Option<u64>,
}

fn main() {}
