use dynamodel::Model;

#[derive(Model)]
struct User {
    #[dynamodel(hash_key)]
    id: Option<String>,
}

fn main() {}
