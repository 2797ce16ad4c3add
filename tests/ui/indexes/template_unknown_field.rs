use dynamodel::Model;

#[derive(Model)]
#[dynamodel(
    table = "shop",
    pk = "CUSTOMER#{customer_id}",
    sk = "ORDER#{order_id}",
    gsi(name = "gsi1", pk = "STATUS#{stauts}", sk = "{placed}#{order_id}")
)]
struct Order {
    customer_id: String,
    order_id: String,
    status: String,
}

fn main() {}
