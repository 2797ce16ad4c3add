use dynamodel::Model;

#[derive(Model)]
#[dynamodel(table = users)]
struct User {
    #[dynamodel(hash_key)]
    id: String,
    #[dynamodel(rename)]
    name: String,
}

fn main() {}
