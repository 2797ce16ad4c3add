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

#[derive(Model)]
#[dynamodel(table = "shop", pk = "USER#{customer_id}", sk = "CART")]
struct Cart {
    customer_id: String,
}

#[derive(Collection)]
enum CustomerPage {
    Customer(Customer),
    Cart(Cart),
}

fn main() {}
