use dynamodel::Model;

// One mistake in the model (a misspelt setting) is one error: the patch
// type and the query traits still exist, so the code using them adds none.
#[derive(Model)]
#[dynamodel(table = "users")]
struct User {
    #[dynamodel(hash_key)]
    id: String,
    #[dynamodel(lenght(max = 20))]
    name: String,
    nickname: Option<String>,
}

fn build() -> UserPatch {
    UserPatch {
        name: Some("Ada".into()),
        nickname: Some(None),
        ..Default::default()
    }
}

fn query(db: &dynamodel::Db) {
    let _ = db.query::<User>("id");
}

fn main() {
    let _ = build();
}
