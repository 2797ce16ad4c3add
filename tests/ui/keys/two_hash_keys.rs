use dynamodel::Model;

#[derive(Model)]
struct User {
    #[dynamodel(hash_key)]
    id: String,
    #[dynamodel(hash_key)]
    email: String,
}

fn main() {}
