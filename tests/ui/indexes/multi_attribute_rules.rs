use dynamodel::Model;

// Multi-attribute keys: global indexes only, four attributes per key at
// most, each field once in the index key.
#[derive(Model)]
#[dynamodel(
    table = "orders",
    gsi(name = "too_many", hash(a, b, c, d, e)),
    gsi(name = "twice", hash(a, b), range(b, c)),
    lsi(name = "local", range(a, b))
)]
struct Order {
    #[dynamodel(hash_key)]
    id: String,
    #[dynamodel(range_key)]
    at: u64,
    a: String,
    b: String,
    c: String,
    d: String,
    e: String,
}

fn main() {}
