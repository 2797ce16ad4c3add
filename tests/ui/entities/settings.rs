use dynamodel::Model;

#[derive(Model)]
#[dynamodel(table = "shop", pk = "CUSTOMER#{id}", entity(name = ""))]
struct Customer {
    id: String,
}

#[derive(Model)]
#[dynamodel(table = "shop", pk = "CUSTOMER#{id}", entity(version_attribute = "__v"))]
struct Order {
    id: String,
}

#[derive(Model)]
#[dynamodel(table = "shop", pk = "CUSTOMER#{id}", entity(version = -1, kind = "x"))]
struct Cart {
    id: String,
}

fn main() {}
