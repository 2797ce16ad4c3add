use dynamodel::Model;

#[derive(Model)]
struct User {
    #[dynamodel(hash_key)]
    id: String,
    #[dynamodel(rename = "n")]
    name: String,
    n: String,
}

fn main() {}
