use dynamodel::Model;

#[derive(Model)]
#[dynamodel(table = "users")]
struct User {
    #[dynamodel(hash_key)]
    id: String,
    #[dynamodel(range(min = 1))]
    name: String,
    #[dynamodel(length(max = 3))]
    active: bool,
    #[dynamodel(regex = "^a")]
    age: u32,
    #[dynamodel(default = 5)]
    score: u32,
    #[dynamodel(created_at)]
    created: String,
}

fn main() {}
