use dynamodel::Model;

// Index declarations are checked together: unknown fields, a local index on a
// table without a sort key, a missing name, and a global index without a partition key.
#[derive(Model)]
#[dynamodel(
    table = "users",
    gsi(name = "by_email", hash = emial),
    gsi(hash = email),
    gsi(name = "by_age", range = age),
    lsi(name = "by_age_local", range = age)
)]
struct User {
    #[dynamodel(hash_key)]
    id: String,
    email: String,
    age: u32,
}

fn main() {}
