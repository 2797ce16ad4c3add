use dynamodel::Model;

// Two indexes under one name, and two templates writing one attribute.
#[derive(Model)]
#[dynamodel(
    table = "shop",
    pk = "CUSTOMER#{customer_id}",
    sk = "ORDER#{order_id}",
    gsi(name = "gsi1", pk = "STATUS#{status}"),
    gsi(name = "gsi1", pk = "ORDER#{order_id}"),
    gsi(name = "gsi2", pk(name = "gsi1pk", template = "X#{order_id}")),
    gsi(name = "gsi3", pk(name = "sk", template = "Y#{order_id}"))
)]
struct Order {
    customer_id: String,
    order_id: String,
    status: String,
}

fn main() {}
