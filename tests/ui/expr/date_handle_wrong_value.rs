use chrono::{DateTime, Utc};
use dynamodel::{Db, Model};

#[derive(Model)]
struct Session {
    #[dynamodel(hash_key)]
    id: String,
    #[dynamodel(date = "seconds")]
    last_login: DateTime<Utc>,
    #[dynamodel(date = "iso8601")]
    expires: Option<DateTime<Utc>>,
}

fn build(db: &Db) {
    let f = Session::fields();
    // A date-time handle takes the date-time, not its stored number...
    let _ = f.last_login.gt(5);
    // ... nor its stored text.
    let _ = f.expires.lt("2026-11-01T08:00:00.000Z");
    let _ = db.update::<Session>("id").set(&f.last_login, 1_793_520_000i64);
}

fn main() {}
