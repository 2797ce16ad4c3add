use dynamodel::Model;

// Each index key is a field or a template, not both; index template fields
// are never written by an update behind the index key's back (timestamps,
// defaults, the version); their values are separated by `#`.
#[derive(Model)]
#[dynamodel(
    table = "shop",
    timestamps,
    pk = "CUSTOMER#{customer_id}",
    sk = "ORDER#{order_id}",
    gsi(name = "gsi1", hash = status, pk = "STATUS#{status}"),
    gsi(name = "gsi2", pk = "STATUS#{status}", range = total, sk = "T#{total}"),
    gsi(name = "gsi3", pk = "UPDATED#{updated_at}", sk = "{kind}#{version}"),
    gsi(name = "gsi4", pk = "S#{status}{total}"),
    gsi(name = "gsi5", pk = "CREATED#{created_at}"),
    gsi(name = "gsi6", sk = "S#{status}")
)]
struct Order {
    customer_id: String,
    order_id: String,
    status: String,
    total: u32,
    #[dynamodel(default = String::from("web"))]
    kind: String,
    #[dynamodel(version)]
    version: u64,
    created_at: chrono::DateTime<chrono::Utc>,
    updated_at: chrono::DateTime<chrono::Utc>,
}

fn main() {}
