use dynamodel::Model;

#[derive(Model)]
#[dynamodel(tabel = "users")]
struct User {
    #[dynamodel(hashkey)]
    id: String,
    #[dynamodel(colour = "blue")]
    name: String,
}

fn main() {}
