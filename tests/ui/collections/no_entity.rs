use dynamodel::{Collection, Model};

#[derive(Model)]
#[dynamodel(table = "users")]
struct User {
    #[dynamodel(hash_key)]
    id: String,
}

#[derive(Model)]
#[dynamodel(table = "users", entity)]
struct Login {
    #[dynamodel(hash_key)]
    id: String,
}

#[derive(Collection)]
enum UserPage {
    User(User),
    Login(Login),
}

fn main() {}
