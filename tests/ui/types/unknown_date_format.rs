use dynamodel::Model;

#[derive(Model)]
struct Event {
    #[dynamodel(hash_key)]
    id: String,
    #[dynamodel(date = "milis")]
    at: chrono::DateTime<chrono::Utc>,
    #[dynamodel(date = "unix")]
    other: chrono::DateTime<chrono::Utc>,
}

fn main() {}
