use dynamodel::Model;

#[derive(Model)]
enum Status {
    Active,
    Closed,
}

fn main() {}
