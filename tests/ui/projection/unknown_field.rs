use dynamodel::Model;

#[derive(Model)]
#[dynamodel(table = "users")]
struct User {
    #[dynamodel(hash_key)]
    id: String,
    name: String,
    age: u32,
}

// `nickname` is not an attribute of `User`.
#[derive(Model)]
#[dynamodel(table = "users", projection_of = User)]
struct UserNick {
    #[dynamodel(hash_key)]
    id: String,
    nickname: String,
}

// `age` is a `u32` in `User`.
#[derive(Model)]
#[dynamodel(table = "users", projection_of = User)]
struct UserAge {
    #[dynamodel(hash_key)]
    id: String,
    age: String,
}

fn main() {}
