use dynamodel::Model;

#[derive(Model)]
struct Flag {
    #[dynamodel(hash_key)]
    id: bool,
}

#[derive(Model)]
struct Reading {
    #[dynamodel(hash_key)]
    sensor: String,
    #[dynamodel(range_key)]
    value: f64,
}

fn main() {}
