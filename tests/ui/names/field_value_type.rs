use dynamodel::Model;

#[derive(Model)]
struct User {
    #[dynamodel(hash_key)]
    id: String,
    age: u32,
}

fn main() {
    // A condition's value must have the field's type.
    let _ = User::fields().age.gt("thirty");
    // Unknown fields do not exist on the handles.
    let _ = User::fields().email.eq("a@b.c".to_string());
}
