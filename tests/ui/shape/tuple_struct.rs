use dynamodel::Model;

#[derive(Model)]
struct User(String, u32);

fn main() {}
