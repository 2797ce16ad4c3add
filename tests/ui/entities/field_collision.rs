use dynamodel::Model;

#[derive(Model)]
#[dynamodel(table = "shop", pk = "CUSTOMER#{id}")]
struct Customer {
    id: String,
    #[dynamodel(rename = "__entity")]
    kind: String,
}

#[derive(Model)]
#[dynamodel(table = "shop", pk = "CUSTOMER#{id}", entity(attribute = "pk"))]
struct Order {
    id: String,
}

#[derive(Model)]
#[dynamodel(table = "shop", pk = "CUSTOMER#{id}", entity(version = 1, version_attribute = "__entity"))]
struct Cart {
    id: String,
}

fn main() {}
