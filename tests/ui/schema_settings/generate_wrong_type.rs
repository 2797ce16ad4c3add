use dynamodel::Model;

#[derive(Model)]
struct Ticket {
    #[dynamodel(hash_key, generate = "uuid_v7")]
    id: u64,
    #[dynamodel(generate = "ulid")]
    code: Option<i32>,
}

fn main() {}
