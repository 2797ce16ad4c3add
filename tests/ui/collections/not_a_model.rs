use dynamodel::{Collection, Model};

#[derive(Model)]
#[dynamodel(table = "shop", pk = "CUSTOMER#{id}", sk = "PROFILE")]
struct Customer {
    id: String,
    name: String,
}

#[derive(Model)]
#[dynamodel(table = "shop", pk = "CUSTOMER#{customer_id}", sk = "ORDER#{order_id}")]
struct Order {
    customer_id: String,
    order_id: u32,
}

struct Invoice {
    id: String,
}

#[derive(Collection)]
enum CustomerPage {
    Customer(Customer),
    Invoice(Invoice),
}

fn main() {}
