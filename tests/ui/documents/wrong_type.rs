use dynamodel::Document;

// The validation settings are checked against the member's type, as on
// model fields.
#[derive(Document)]
struct Address {
    #[dynamodel(range(min = 1))]
    city: String,
    #[dynamodel(length(max = 3))]
    verified: bool,
    #[dynamodel(regex = "^[0-9]+$")]
    zip: u32,
    #[dynamodel(set = shout)]
    floor: Option<u32>,
}

fn shout(v: String) -> String {
    v.to_uppercase()
}

fn main() {}
