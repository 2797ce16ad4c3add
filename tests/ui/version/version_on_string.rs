use dynamodel::Model;

#[derive(Model)]
struct Doc {
    #[dynamodel(hash_key)]
    id: String,
    #[dynamodel(version)]
    version: String,
}

fn main() {}
