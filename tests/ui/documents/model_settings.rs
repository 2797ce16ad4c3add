use dynamodel::Document;

// Settings that belong to a model, not to a nested document.
#[derive(Document)]
#[dynamodel(table = "addresses", timestamps)]
struct Address {
    #[dynamodel(default = "Paris")]
    city: String,
    #[dynamodel(skip)]
    cached: u32,
    #[dynamodel(created_at)]
    created: u64,
    #[dynamodel(version)]
    revision: u64,
    #[dynamodel(unknown)]
    rest: dynamodel::Item,
    // Taken: validation and transforms.
    #[dynamodel(length(max = 10), set = trim)]
    zip: String,
}

fn trim(v: String) -> String {
    v.trim().to_owned()
}

#[derive(Document)]
enum Plan {
    #[dynamodel(range(min = 1))]
    Free,
    Pro,
}

fn main() {}
