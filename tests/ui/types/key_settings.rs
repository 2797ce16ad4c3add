use dynamodel::Model;

#[derive(Model)]
struct Event {
    #[dynamodel(hash_key, serde)]
    id: String,
    #[dynamodel(range_key)]
    raw: Vec<u8>,
    #[dynamodel(null)]
    not_optional: String,
}

fn main() {}
