//! Versioning and conditional writes: optimistic locking with
//! `#[dynamodel(version)]`, `create` that refuses a taken key, typed
//! conditions on puts, updates and deletes, updates from a partial value
//! (`TicketPatch`) and saving only what changed (`Tracked`).
//!
//! Run it with `cargo run --example versioning_conditions`.

use dynamodel::{Db, Model};

#[derive(Model, Debug, Clone, PartialEq)]
#[dynamodel(table = "tickets")]
pub struct Ticket {
    #[dynamodel(hash_key)]
    pub id: String,
    #[dynamodel(one_of("open", "closed"))]
    pub status: String,
    pub assignee: Option<String>,
    /// 0 for a new item; every write stores the version read plus one.
    #[dynamodel(version)]
    pub version: u64,
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let db = Db::new(dynamodel::local::client().await?).with_table_prefix("example-version-");
    run(&db).await
}

/// Two writers race on one ticket; conditions guard the rest.
pub async fn run(db: &Db) -> Result<(), Box<dyn std::error::Error>> {
    db.create_table::<Ticket>().await?;
    let ticket = Ticket {
        id: "t-1".into(),
        status: "open".into(),
        assignee: None,
        version: 0,
    };
    db.create(&ticket).await?;
    let again = db
        .create(&ticket)
        .await
        .err()
        .ok_or("expected a taken key")?;
    assert!(again.is_already_exists());

    // Two readers get version 1; the first write wins, the second conflicts.
    let mut alice = db
        .get::<Ticket>("t-1")
        .consistent()
        .await?
        .ok_or("missing")?;
    let mut bob = alice.clone();
    alice.assignee = Some("alice".into());
    db.put(&alice).await?;
    bob.assignee = Some("bob".into());
    let conflict = db.put(&bob).await.err().ok_or("expected a conflict")?;
    println!("put      -> {conflict}");
    assert!(conflict.is_version_conflict());

    // Conditions are typed: `fields.status.eq(3)` does not compile.
    let fields = Ticket::fields();
    let closed = db
        .update::<Ticket>("t-1")
        .set(&fields.status, "closed".to_string())
        .condition(fields.assignee.eq("alice".to_string()))
        .return_all_new()
        .await?;
    assert_eq!(closed.status, "closed");
    assert_eq!(closed.version, 3);

    let reopen = db
        .update::<Ticket>("t-1")
        .set(&fields.status, "open".to_string())
        .condition(fields.assignee.eq("bob".to_string()))
        .await
        .err()
        .ok_or("expected the condition to fail")?;
    assert!(reopen.is_conditional_check_failed());

    // Updates from a partial value: `TicketPatch` (generated) has an
    // `Option` per field an update may write (no key, no version); `None`
    // leaves an attribute as stored, `Some(None)` removes an optional one.
    db.update::<Ticket>("t-1")
        .patch(TicketPatch {
            assignee: Some(None),
            ..TicketPatch::default()
        })
        .if_version(3)
        .await?;

    // Or track an item read and save only what changed, expecting the
    // version read: one UpdateItem writing `assignee` (and the version).
    let mut tracked = db
        .get::<Ticket>("t-1")
        .consistent()
        .tracked()
        .await?
        .ok_or("missing")?;
    tracked.assignee = Some("carol".into());
    assert_eq!(tracked.changed_attributes()?, ["assignee"]);
    assert!(db.save_changes(&mut tracked).await?);
    assert_eq!(tracked.version, 5);
    // Nothing changed since: no request at all.
    assert!(!db.save_changes(&mut tracked).await?);

    // delete_item checks the version the item holds: a stale copy loses.
    let stale = db
        .delete_item(&alice)
        .await
        .err()
        .ok_or("expected a conflict")?;
    assert!(stale.is_version_conflict());
    db.delete_item(&*tracked).await?;
    assert_eq!(db.get::<Ticket>("t-1").consistent().await?, None);

    db.delete_table::<Ticket>().await?;
    Ok(())
}
