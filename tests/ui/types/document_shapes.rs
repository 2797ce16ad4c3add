use dynamodel::Document;

#[derive(Document)]
enum Status {
    Active,
    Suspended { reason: String },
}

#[derive(Document)]
struct Inner {
    #[dynamodel(hash_key)]
    id: String,
    #[dynamodel(rename = "a")]
    first: String,
    #[dynamodel(rename = "a")]
    second: String,
}

fn main() {}
