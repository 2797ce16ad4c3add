use dynamodel::Model;

#[derive(Model)]
struct Order {
    #[dynamodel(hash_key)]
    customer: String,
    #[dynamodel(range_key)]
    number: u64,
    #[dynamodel(range_key)]
    placed_at: u64,
}

fn main() {}
