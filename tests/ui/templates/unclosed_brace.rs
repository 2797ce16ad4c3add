use dynamodel::Model;

#[derive(Model)]
#[dynamodel(table = "shop", pk = "C#{customer_id")]
struct Order {
    customer_id: String,
    maybe: Option<String>,
    total: f64,
}

fn main() {}
