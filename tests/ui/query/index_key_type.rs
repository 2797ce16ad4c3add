use dynamodel::Model;

// Index keys must be key-able types (an Option of one is fine: a sparse index).
#[derive(Model)]
#[dynamodel(table = "users", gsi(name = "by_active", hash = active))]
struct User {
    #[dynamodel(hash_key)]
    id: String,
    active: bool,
    email: Option<String>,
}

fn main() {}
