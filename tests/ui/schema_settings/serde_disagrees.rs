use dynamodel::Model;

#[derive(Model, serde::Serialize)]
#[serde(rename_all = "camelCase")]
#[dynamodel(table = "users")]
struct User {
    #[dynamodel(hash_key)]
    id: String,
    user_name: String,
}

#[derive(Model, serde::Serialize)]
#[dynamodel(table = "admins")]
struct Admin {
    #[dynamodel(hash_key)]
    id: String,
    #[serde(rename = "login")]
    user_name: String,
}

fn main() {}
