use dynamodel::Model;

// A local index shares the table's partition key: it cannot declare its own.
#[derive(Model)]
#[dynamodel(
    table = "shop",
    pk = "CUSTOMER#{customer_id}",
    sk = "ORDER#{order_id}",
    lsi(name = "lsi1", pk = "STATUS#{status}", sk = "TOTAL#{total}"),
    lsi(name = "lsi2", hash = status, sk = "TOTAL#{total}")
)]
struct Order {
    customer_id: String,
    order_id: String,
    status: String,
    total: u32,
}

fn main() {}
