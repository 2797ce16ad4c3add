use dynamodel::Model;

#[derive(Model)]
#[dynamodel(table = "users", rename_all = "camel")]
struct User {
    #[dynamodel(hash_key)]
    id: String,
    #[dynamodel(range(min = "one"))]
    a: u32,
    #[dynamodel(length(min = -1, most = 3))]
    b: String,
    #[dynamodel(regex = "([a-z]")]
    c: String,
    #[dynamodel(one_of())]
    d: String,
    #[dynamodel(skip = true)]
    e: String,
    #[dynamodel(validat = check)]
    f: String,
}

fn main() {}
