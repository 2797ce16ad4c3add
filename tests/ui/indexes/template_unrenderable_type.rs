use dynamodel::Model;

#[derive(Model)]
#[dynamodel(
    table = "shop",
    pk = "CUSTOMER#{customer_id}",
    sk = "ORDER#{order_id}",
    gsi(name = "gsi1", pk = "STATUS#{status}", sk = "TOTAL#{total}")
)]
struct Order {
    customer_id: String,
    order_id: String,
    status: String,
    total: f64,
}

fn main() {}
