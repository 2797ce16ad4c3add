use dynamodel::Model;

#[derive(Model)]
#[dynamodel(table = "users", rename_all = "camelCase")]
struct User {
    #[dynamodel(hash_key)]
    id: String,
    user_name: String,
    #[dynamodel(rename = "userName")]
    login: String,
}

fn main() {}
