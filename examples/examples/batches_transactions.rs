//! Batches and transactions: batch writes and reads of any size (split,
//! retried, with missing keys reported), and an all-or-nothing transfer
//! whose cancellation names the action that failed.
//!
//! Run it with `cargo run --example batches_transactions`.

use dynamodel::{Db, Model};

#[derive(Model, Debug, Clone, PartialEq)]
#[dynamodel(table = "accounts")]
pub struct Account {
    #[dynamodel(hash_key)]
    pub id: String,
    pub balance: i64,
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let db = Db::new(dynamodel::local::client().await?).with_table_prefix("example-batch-");
    run(&db).await
}

/// Opens 60 accounts in batches, reads some back, moves money twice.
pub async fn run(db: &Db) -> Result<(), Box<dyn std::error::Error>> {
    db.create_table::<Account>().await?;
    let accounts: Vec<Account> = (0..60)
        .map(|n| Account {
            id: format!("a-{n:02}"),
            balance: 100,
        })
        .collect();
    // 60 puts: split into requests of 25, unprocessed items retried.
    let written = db.batch_put(&accounts).await?;
    println!("batch    wrote {}", written.written);
    assert_eq!(written.written, 60);

    // Reads come back in the order asked; missing keys are listed.
    let read = db
        .batch_get::<Account>(["a-01", "a-59", "nobody"])
        .send()
        .await?;
    assert_eq!(read.items.len(), 2);
    assert_eq!(read.missing, vec!["nobody".to_string()]);

    // A transfer: both updates or neither.
    let fields = Account::fields();
    let transfer = |from: &str, to: &str, amount: i64| {
        db.transact_write()
            .update(
                db.update::<Account>(from)
                    .add(&fields.balance, -amount)
                    .condition(fields.balance.ge(amount)),
            )
            .update(db.update::<Account>(to).add(&fields.balance, amount))
    };
    transfer("a-00", "a-01", 30).await?;

    // Too much: cancelled, and the reason names the first action.
    let err = transfer("a-00", "a-01", 500)
        .await
        .err()
        .ok_or("expected the transfer to be cancelled")?;
    let failed: Vec<usize> = err
        .cancellation_reasons()
        .unwrap_or_default()
        .iter()
        .filter(|reason| reason.is_failure())
        .map(|reason| reason.index)
        .collect();
    println!("txn      cancelled, failed actions {failed:?}");
    assert_eq!(failed, vec![0]);

    let both = db
        .batch_get::<Account>(["a-00", "a-01"])
        .send()
        .await?
        .items;
    let balances: Vec<i64> = both.iter().map(|a| a.balance).collect();
    assert_eq!(balances, vec![70, 130]);

    // 60 deletes, in batches.
    db.batch_delete::<Account>(accounts.iter().map(|a| a.id.clone()))
        .send()
        .await?;
    db.delete_table::<Account>().await?;
    Ok(())
}
