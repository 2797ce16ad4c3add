//! Run-time table names: a model bound to a table chosen at run time is
//! read, written, queried, batched and transacted there, its table DDL
//! included; suffixes per `Db`.

use dynamodel::{Db, Model};
use dynamodel_tests::raw::{scan_all, unique_table_name};

#[derive(Model, Debug, Clone, PartialEq)]
#[dynamodel(table = "accounts")]
struct Account {
    #[dynamodel(hash_key)]
    owner: String,
    #[dynamodel(range_key)]
    id: String,
    balance: u64,
}

fn account(owner: &str, id: &str, balance: u64) -> Account {
    Account {
        owner: owner.into(),
        id: id.into(),
        balance,
    }
}

async fn exists(db: &Db, table: &str) -> bool {
    db.client()
        .describe_table()
        .table_name(table)
        .send()
        .await
        .is_ok()
}

#[tokio::test]
async fn a_model_is_read_and_written_under_a_run_time_table_name() {
    let base = dynamodel_tests::db("names-bound").await;
    // The name comes from configuration at run time, not from the struct.
    let configured = unique_table_name("accounts-from-config");
    let db = base.clone().with_table_name::<Account>(configured.clone());
    assert_eq!(db.table_name::<Account>(), configured);
    assert_eq!(db.table_name_for("accounts"), configured);

    db.create_table::<Account>().await.unwrap();
    assert!(exists(&db, &configured).await);
    assert!(
        !exists(&db, &base.table_name::<Account>()).await,
        "the declared name is not used"
    );

    db.put(&account("ann", "a", 1)).await.unwrap();
    let got = db
        .get::<Account>(("ann".to_string(), "a".to_string()))
        .await;
    assert_eq!(got.unwrap(), Some(account("ann", "a", 1)));
    db.batch_put(&[account("ann", "b", 2), account("ann", "c", 3)])
        .await
        .unwrap();
    let read = db
        .batch_get::<Account>([
            ("ann".to_string(), "b".to_string()),
            ("ann".to_string(), "c".to_string()),
        ])
        .consistent()
        .await
        .unwrap();
    assert_eq!(
        read.items,
        vec![account("ann", "b", 2), account("ann", "c", 3)]
    );
    db.transact_write()
        .put(db.put(&account("bob", "d", 4)))
        .delete(db.delete::<Account>(("ann".to_string(), "a".to_string())))
        .await
        .unwrap();
    let tx = db
        .transact_get()
        .get::<Account>(("bob".to_string(), "d".to_string()))
        .await
        .unwrap();
    assert_eq!(tx.items::<Account>().unwrap(), vec![account("bob", "d", 4)]);
    let queried = db.query::<Account>("ann").all().await.unwrap();
    assert_eq!(
        queried,
        vec![account("ann", "b", 2), account("ann", "c", 3)]
    );
    db.update::<Account>(("ann".to_string(), "b".to_string()))
        .set(&Account::fields().balance, 20u64)
        .await
        .unwrap();

    // Everything landed in the configured table.
    let mut raw: Vec<String> = scan_all(db.client(), &configured)
        .await
        .iter()
        .map(|item| match item.get("id") {
            Some(dynamodel::AttributeValue::S(id)) => id.clone(),
            other => panic!("id missing: {other:?}"),
        })
        .collect();
    raw.sort();
    assert_eq!(raw, ["b", "c", "d"]);

    db.delete_table::<Account>().await.unwrap();
    assert!(!exists(&db, &configured).await);
}

#[tokio::test]
async fn an_existing_table_of_another_application_is_used_as_is() {
    let base = dynamodel_tests::db("names-existing").await;
    let theirs = unique_table_name("LegacyAccounts");
    // Another application created it (same key shape, not through dynamodel).
    let other = base.clone().with_table_name::<Account>(theirs.clone());
    other.create_table::<Account>().await.unwrap();
    // Bound by name, prefix and suffix do not apply to it.
    let db = base
        .with_table_suffix("-dev")
        .with_named_table("accounts", theirs.clone());
    db.put(&account("ann", "a", 1)).await.unwrap();
    assert_eq!(scan_all(db.client(), &theirs).await.len(), 1);
}

#[tokio::test]
async fn prefix_and_suffix_name_a_table_per_environment() {
    let base = dynamodel_tests::db("names-suffix").await;
    let prefixed = base.table_name::<Account>();
    let dev = base.clone().with_table_suffix("-dev");
    let prod = base.with_table_suffix("-prod");
    assert_eq!(dev.table_name::<Account>(), format!("{prefixed}-dev"));
    dev.create_table::<Account>().await.unwrap();
    prod.create_table::<Account>().await.unwrap();
    dev.put(&account("ann", "a", 1)).await.unwrap();
    let in_dev = dev
        .get::<Account>(("ann".to_string(), "a".to_string()))
        .await;
    let in_prod = prod
        .get::<Account>(("ann".to_string(), "a".to_string()))
        .await;
    assert!(in_dev.unwrap().is_some());
    assert!(
        in_prod.unwrap().is_none(),
        "environments are separate tables"
    );
}

/// The `(owner, id)` of every item stored in `table`, sorted.
async fn stored_keys(db: &Db, table: &str) -> Vec<(String, String)> {
    let text = |item: &dynamodel::Item, name: &str| match item.get(name) {
        Some(dynamodel::AttributeValue::S(text)) => text.clone(),
        other => panic!("{name} missing: {other:?}"),
    };
    let mut keys: Vec<(String, String)> = scan_all(db.client(), table)
        .await
        .iter()
        .map(|item| (text(item, "owner"), text(item, "id")))
        .collect();
    keys.sort();
    keys
}

#[tokio::test]
async fn a_transaction_writes_each_action_to_the_table_of_the_handle_it_was_built_with() {
    let base = dynamodel_tests::db("names-tx-handles").await;
    let dev = base.clone().with_table_suffix("-dev");
    let prod = base.with_table_suffix("-prod");
    dev.create_table::<Account>().await.unwrap();
    prod.create_table::<Account>().await.unwrap();
    let key = |owner: &str, id: &str| (owner.to_string(), id.to_string());
    // One model, actions from both handles in turns and in runs (a run of
    // one handle's actions reuses the name resolved for the first), and
    // the same key in both tables: two items, not one item twice.
    dev.transact_write()
        .create(dev.create(&account("ann", "a", 1)))
        .create(prod.create(&account("ann", "b", 2)))
        .put(prod.put(&account("ann", "c", 3)))
        .create(dev.create(&account("ann", "d", 4)))
        .put(dev.put(&account("ann", "e", 5)))
        .create(prod.create(&account("ann", "d", 6)))
        .await
        .unwrap();
    assert_eq!(
        stored_keys(&dev, &dev.table_name::<Account>()).await,
        [key("ann", "a"), key("ann", "d"), key("ann", "e")]
    );
    assert_eq!(
        stored_keys(&prod, &prod.table_name::<Account>()).await,
        [key("ann", "b"), key("ann", "c"), key("ann", "d")]
    );
    let in_prod = prod.get::<Account>(key("ann", "d")).await.unwrap();
    assert_eq!(in_prod, Some(account("ann", "d", 6)));

    // A handle cloned from the transaction's names tables the same way;
    // two actions on one item of one table are refused, whichever handle
    // built them.
    let twin = dev.clone();
    let refused = dev
        .transact_write()
        .create(dev.create(&account("bob", "x", 1)))
        .put(twin.put(&account("bob", "x", 2)))
        .await
        .unwrap_err();
    let message = refused.to_string();
    assert!(
        message.contains("action #0") && message.contains("one action per item"),
        "{message}"
    );
    assert_eq!(dev.get::<Account>(key("bob", "x")).await.unwrap(), None);
}
