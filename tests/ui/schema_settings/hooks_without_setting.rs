use dynamodel::{Hooks, Model};

#[derive(Model)]
#[dynamodel(table = "users")]
struct User {
    #[dynamodel(hash_key)]
    id: String,
}

// Forgetting #[dynamodel(hooks)] must not make these hooks silently never run.
impl Hooks for User {
    fn after_load(&mut self) -> Result<(), dynamodel::settings::BoxError> {
        Ok(())
    }
}

fn main() {}
