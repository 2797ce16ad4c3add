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
#[dynamodel(table = "shop", pk = "CUSTOMER#{customer_id}", sk = "ADDRESS#{n}")]
struct Address {
    customer_id: String,
    n: u32,
}

#[derive(Collection)]
enum CustomerPage {
    Customer(Customer),
    Order(Order),
}

fn query(db: dynamodel::Db) {
    let _ = db
        .collection::<CustomerPage>("c1")
        .filter(Address::fields().n.eq(1u32));
}

fn main() {}
