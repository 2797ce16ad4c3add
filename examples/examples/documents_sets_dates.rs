//! Documents, sets and dates: nested maps (`#[derive(Document)]`), string
//! enums, string and number sets, and date-times in two storages, compared
//! and written through typed handles that take the date-time itself.
//!
//! Run it with `cargo run --example documents_sets_dates` (DynamoDB Local is
//! started by itself, as in the quickstart).

use std::collections::{BTreeSet, HashSet};

use chrono::{DateTime, Utc};
use dynamodel::{Db, Document, Model};

/// Stored as a map (`M`) inside the item.
#[derive(Document, Debug, Clone, PartialEq)]
pub struct Address {
    pub city: String,
    #[dynamodel(regex = "^[0-9]{5}$")]
    pub zip: String,
}

/// A unit-only enum is stored as a string: `"free"` or `"pro"`.
#[derive(Document, Debug, Clone, Copy, PartialEq)]
#[dynamodel(rename_all = "lowercase")]
pub enum Plan {
    Free,
    Pro,
}

#[derive(Model, Debug, Clone, PartialEq)]
#[dynamodel(table = "customers")]
pub struct Customer {
    #[dynamodel(hash_key)]
    pub id: String,
    pub address: Address,
    pub plan: Plan,
    /// A string set (`SS`); an empty set is stored as no attribute.
    pub tags: HashSet<String>,
    /// A number set (`NS`).
    pub lucky: BTreeSet<u32>,
    /// ISO 8601 text in one fixed width, so string order is time order.
    #[dynamodel(date = "iso8601")]
    pub joined: DateTime<Utc>,
    /// Epoch milliseconds (`N`), the default storage of a date-time.
    pub last_seen: Option<DateTime<Utc>>,
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let db = Db::new(dynamodel::local::client().await?).with_table_prefix("example-docs-");
    run(&db).await
}

/// Creates the table, writes and updates one customer, and deletes the table.
pub async fn run(db: &Db) -> Result<(), Box<dyn std::error::Error>> {
    db.create_table::<Customer>().await?;
    let joined = DateTime::from_timestamp(1_793_520_000, 0).ok_or("date out of range")?;
    let ada = Customer {
        id: "c-1".into(),
        address: Address {
            city: "London".into(),
            zip: "12345".into(),
        },
        plan: Plan::Free,
        tags: HashSet::from(["early".to_string()]),
        lucky: BTreeSet::from([7, 42]),
        joined,
        last_seen: None,
    };
    db.create(&ada).await?;
    println!("created  {ada:?}");

    // Nested members, sets and dates through typed handles.
    let fields = Customer::fields();
    let address = fields.address.nested();
    db.update::<Customer>("c-1")
        .set(&address.city, "Paris".to_string())
        .set(&fields.plan, Plan::Pro)
        .add(&fields.tags, HashSet::from(["vip".to_string()]))
        .delete(&fields.lucky, BTreeSet::from([7]))
        .set(&fields.last_seen, joined)
        // A date handle takes the date-time in every storage, converted as
        // the field stores it: here the ISO 8601 text `joined` holds.
        .condition(fields.joined.eq(joined))
        .await?;

    let week = chrono::Duration::days(7);
    let recent = db
        .scan::<Customer>()
        .filter(fields.joined.between(joined - week, joined + week))
        .consistent()
        .all()
        .await?;
    println!("joined within a week: {}", recent.len());
    assert_eq!(recent.len(), 1);

    // A nested value is validated too: nothing is sent.
    let err = db
        .update::<Customer>("c-1")
        .set(&address.zip, "not a zip".to_string())
        .await
        .err()
        .ok_or("expected a validation error")?;
    println!("invalid  -> {err}");

    let read = db
        .get::<Customer>("c-1")
        .consistent()
        .await?
        .ok_or("customer missing")?;
    println!("read     {read:?}");
    assert_eq!(read.address.city, "Paris");
    assert_eq!(read.plan, Plan::Pro);
    assert_eq!(read.tags.len(), 2);
    assert_eq!(read.lucky, BTreeSet::from([42]));
    assert_eq!(read.last_seen, Some(joined));

    db.delete_table::<Customer>().await?;
    Ok(())
}
