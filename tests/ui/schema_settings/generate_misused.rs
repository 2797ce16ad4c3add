use dynamodel::Model;

#[derive(Model)]
struct Ticket {
    #[dynamodel(hash_key, generate = "uuid_v8")]
    id: String,
    #[dynamodel(generate = "ulid", default = "x")]
    code: String,
    #[dynamodel(version, generate = "uuid_v4")]
    version: u64,
    #[dynamodel(range_key, default = "seat")]
    seat: String,
}

fn main() {}
