use dynamodel::Model;

#[derive(Model)]
struct Event {
    #[dynamodel(hash_key)]
    id: String,
    #[dynamodel(date = "millis")]
    count: u32,
}

fn main() {}
