//! Entities on a shared table: three models with the same key templates
//! (so their items interleave in one partition, and one key can hold any
//! of them) see only their own items through get, query (pages, cursors,
//! fill-to-N, count), scan, batch and transaction reads; updates and deletes
//! of another entity's item fail; `accept_missing` reads items written
//! without the entity attribute. Each model has a field the others lack, so
//! without isolation every test here would meet a decode error or a foreign
//! item.

use dynamodel::{AttributeValue, Db, Error, Item, Model};
use dynamodel_tests::{db_with_table, n, raw_item, s};
use futures::TryStreamExt;

#[derive(Model, Debug, Clone, PartialEq)]
#[dynamodel(
    table = "ents",
    pk = "TENANT#{tenant}",
    sk = "ITEM#{id}",
    gsi(name = "by_tenant", hash = tenant, projection = include(id, total))
)]
struct Order {
    tenant: String,
    id: u32,
    total: i64,
}

#[derive(Model, Debug, Clone, PartialEq)]
#[dynamodel(table = "ents", pk = "TENANT#{tenant}", sk = "ITEM#{id}")]
struct Invoice {
    tenant: String,
    id: u32,
    amount: i64,
    paid: bool,
}

#[derive(Model, Debug, Clone, PartialEq)]
#[dynamodel(
    table = "ents",
    pk = "TENANT#{tenant}",
    sk = "ITEM#{id}",
    entity(name = "note", version = 2)
)]
struct Note {
    tenant: String,
    id: u32,
    text: String,
}

const TENANT: &str = "t1";
const ITEMS: u32 = 30;

/// A table holding items `0..ITEMS` of tenant `t1`: item `i` is an order,
/// an invoice or a note as `i % 3` says, so the three interleave in key order.
async fn shared_table(test: &str) -> Db {
    let db = db_with_table::<Order>(test).await;
    for id in 0..ITEMS {
        let tenant = TENANT.to_owned();
        let result = match id % 3 {
            0 => {
                db.put(&Order {
                    tenant,
                    id,
                    total: i64::from(id) * 10,
                })
                .await
            }
            1 => {
                db.put(&Invoice {
                    tenant,
                    id,
                    amount: i64::from(id),
                    paid: id % 2 == 0,
                })
                .await
            }
            _ => {
                db.put(&Note {
                    tenant,
                    id,
                    text: format!("note {id}"),
                })
                .await
            }
        };
        result.expect("put");
    }
    db
}

fn order_ids() -> Vec<u32> {
    (0..ITEMS).filter(|id| id % 3 == 0).collect()
}

fn key(id: u32) -> (String, u32) {
    (TENANT.to_owned(), id)
}

#[tokio::test]
async fn every_write_stores_the_entity_name_and_version() {
    let db = shared_table("ent_raw").await;
    let order = raw_item::<Order>(&db, &key(0)).await.expect("stored");
    assert_eq!(order["__entity"], s("Order"));
    assert!(!order.contains_key("__entity_version"));
    let note = raw_item::<Note>(&db, &key(2)).await.expect("stored");
    assert_eq!(note["__entity"], s("note"));
    assert_eq!(note["__entity_version"], n("2"));
    // Read back, the entity attributes are not fields: the item round-trips.
    let read = db.get::<Note>(key(2)).consistent().await.expect("get");
    assert_eq!(read.map(|n| n.text), Some("note 2".to_owned()));
}

#[tokio::test]
async fn get_of_another_entitys_key_is_not_found() {
    let db = shared_table("ent_get").await;
    // Key 1 holds an invoice: as an order it does not exist.
    assert_eq!(
        db.get::<Order>(key(1)).consistent().await.expect("get"),
        None
    );
    assert_eq!(
        db.get::<Note>(key(1)).consistent().await.expect("get"),
        None
    );
    let invoice = db.get::<Invoice>(key(1)).consistent().await.expect("get");
    assert_eq!(invoice.map(|i| i.amount), Some(1));
}

#[tokio::test]
async fn query_pages_with_a_cursor_return_exactly_this_entitys_items() {
    let db = shared_table("ent_pages").await;
    let mut ids = Vec::new();
    let mut cursor: Option<String> = None;
    let mut pages = 0;
    loop {
        let mut query = db.query::<Order>(TENANT).limit(4).consistent();
        if let Some(c) = cursor.take() {
            query = query.start_from(c);
        }
        let page = query.page().await.expect("page");
        assert!(page.errors.is_empty(), "{:?}", page.errors);
        // A page of 4 evaluated items holds at most 2 orders (1 in 3).
        assert!(page.items.len() <= 2);
        ids.extend(page.items.iter().map(|o| o.id));
        pages += 1;
        match page.cursor {
            Some(c) => cursor = Some(c),
            None => break,
        }
    }
    assert_eq!(ids, order_ids());
    assert!(pages >= 8, "{pages} pages");
    // The stream and count see the same items.
    let streamed: Vec<Order> = db
        .query::<Order>(TENANT)
        .limit(5)
        .stream()
        .try_collect()
        .await
        .expect("stream");
    assert_eq!(
        streamed.iter().map(|o| o.id).collect::<Vec<_>>(),
        order_ids()
    );
    assert_eq!(
        db.query::<Invoice>(TENANT).count().await.expect("count"),
        10
    );
    let notes = db.query::<Note>(TENANT).all().await.expect("all");
    assert_eq!(notes.len(), 10);
    assert!(notes.iter().all(|n| n.id % 3 == 2));
}

#[tokio::test]
async fn an_include_index_holds_the_entity_attribute_and_queries_keep_to_the_entity() {
    let db = shared_table("ent_index").await;
    // Invoices and notes are in the index too (they store `tenant`), but
    // without `total`: as orders they would not decode.
    let page = db
        .query_index(Order::indexes().by_tenant, TENANT)
        .limit(6)
        .fill(100)
        .await
        .expect("fill");
    assert!(page.errors.is_empty(), "{:?}", page.errors);
    let mut ids: Vec<u32> = page.items.iter().map(|o| o.id).collect();
    ids.sort_unstable();
    assert_eq!(ids, order_ids());
}

#[tokio::test]
async fn fill_returns_n_items_of_this_entity_and_resumes_right_after() {
    let db = shared_table("ent_fill").await;
    let first = db
        .query::<Invoice>(TENANT)
        .limit(2)
        .consistent()
        .fill(3)
        .await
        .expect("fill");
    assert!(first.errors.is_empty(), "{:?}", first.errors);
    assert_eq!(
        first.items.iter().map(|i| i.id).collect::<Vec<_>>(),
        [1, 4, 7]
    );
    let rest = db
        .query::<Invoice>(TENANT)
        .limit(2)
        .consistent()
        .start_from(first.cursor.expect("more invoices"))
        .fill(100)
        .await
        .expect("fill");
    assert!(rest.errors.is_empty(), "{:?}", rest.errors);
    assert_eq!(
        rest.items.iter().map(|i| i.id).collect::<Vec<_>>(),
        [10, 13, 16, 19, 22, 25, 28]
    );
    assert_eq!(rest.cursor, None);
    // The caller's filter composes with the entity filter.
    let paid = db
        .query::<Invoice>(TENANT)
        .filter(Invoice::fields().paid.eq(true))
        .fill(100)
        .await
        .expect("fill");
    assert!(paid.errors.is_empty(), "{:?}", paid.errors);
    assert_eq!(
        paid.items.iter().map(|i| i.id).collect::<Vec<_>>(),
        [4, 10, 16, 22, 28]
    );
}

#[tokio::test]
async fn scan_returns_only_this_entity() {
    let db = shared_table("ent_scan").await;
    let mut ids: Vec<u32> = db
        .scan::<Order>()
        .limit(7)
        .all()
        .await
        .expect("scan")
        .into_iter()
        .map(|o| o.id)
        .collect();
    ids.sort_unstable();
    assert_eq!(ids, order_ids());
    assert_eq!(db.scan::<Note>().count().await.expect("count"), 10);
}

#[tokio::test]
async fn batch_and_transaction_reads_treat_other_entities_as_missing() {
    let db = shared_table("ent_batch").await;
    let got = db
        .batch_get::<Order>((0..6).map(key))
        .consistent()
        .await
        .expect("batch get");
    assert!(got.errors.is_empty(), "{:?}", got.errors);
    assert_eq!(got.items.iter().map(|o| o.id).collect::<Vec<_>>(), [0, 3]);
    assert_eq!(
        got.missing.iter().map(|k| k.1).collect::<Vec<_>>(),
        [1, 2, 4, 5]
    );
    let read = db
        .transact_get()
        .get::<Order>(key(1))
        .get::<Invoice>(key(4))
        .await
        .expect("transaction");
    assert_eq!(read.items::<Order>().expect("orders"), []);
    assert_eq!(read.items::<Invoice>().expect("invoices").len(), 1);
    assert_eq!(read.missing::<Order>().len(), 1);
}

#[tokio::test]
async fn updates_and_deletes_of_another_entitys_item_fail() {
    let db = shared_table("ent_update").await;
    let error = db
        .update::<Order>(key(1))
        .set(&Order::fields().total, 5i64)
        .await
        .unwrap_err();
    assert!(
        matches!(error, Error::ConditionFailed { .. }),
        "update: {error:?}"
    );
    let error = db
        .upsert::<Order>(key(1))
        .set(&Order::fields().total, 5i64)
        .await
        .unwrap_err();
    assert!(
        matches!(error, Error::ConditionFailed { .. }),
        "upsert: {error:?}"
    );
    let error = db.delete::<Order>(key(1)).await.unwrap_err();
    assert!(
        matches!(error, Error::ConditionFailed { .. }),
        "delete: {error:?}"
    );
    // The invoice is untouched.
    let raw = raw_item::<Invoice>(&db, &key(1)).await.expect("kept");
    assert_eq!(raw["__entity"], s("Invoice"));
    assert!(!raw.contains_key("total"));
    // Its own entity's items update and delete as usual; an upsert that
    // creates the item marks it.
    db.update::<Order>(key(0))
        .set(&Order::fields().total, 7i64)
        .await
        .expect("update");
    db.upsert::<Order>(key(99))
        .set(&Order::fields().total, 9i64)
        .await
        .expect("upsert");
    assert_eq!(
        raw_item::<Order>(&db, &key(99)).await.expect("created")["__entity"],
        s("Order")
    );
    assert!(db.delete::<Order>(key(0)).await.expect("delete").is_some());
    // Writing the entity attribute by hand is refused before sending.
    let error = db
        .update::<Order>(key(3))
        .set(
            &dynamodel::expr::Field::<Order, String, dynamodel::expr::Optional>::dynamic(
                dynamodel::expr::Path::attribute("__entity"),
            ),
            "Invoice".to_owned(),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(error, Error::InvalidRequest { .. }),
        "entity write: {error:?}"
    );
}

#[derive(Model, Debug, Clone, PartialEq)]
#[dynamodel(
    table = "legacy",
    pk = "ACCOUNT#{account}",
    sk = "ENTRY#{seq}",
    entity(accept_missing)
)]
struct Entry {
    account: String,
    seq: u32,
    amount: i64,
}

#[derive(Model, Debug, Clone, PartialEq)]
#[dynamodel(table = "legacy", pk = "ACCOUNT#{account}", sk = "ENTRY#{seq}")]
struct StrictEntry {
    account: String,
    seq: u32,
    amount: i64,
}

/// Writes an item as an older application did: the fields and keys, and
/// the entity attribute only when `entity` is given.
async fn raw_entry(db: &Db, seq: u32, entity: Option<&str>) {
    let mut item: Item = Entry::key_to_item(&("a1".to_owned(), seq)).expect("key");
    item.insert("account".into(), s("a1"));
    item.insert("seq".into(), n(&seq.to_string()));
    item.insert("amount".into(), n("1"));
    if let Some(entity) = entity {
        item.insert("__entity".into(), AttributeValue::S(entity.into()));
    }
    db.client()
        .put_item()
        .table_name(db.table_name::<Entry>())
        .set_item(Some(item))
        .send()
        .await
        .expect("raw put");
}

#[tokio::test]
async fn accept_missing_reads_items_without_the_attribute_but_not_other_entities() {
    let db = db_with_table::<Entry>("ent_legacy").await;
    raw_entry(&db, 1, None).await;
    raw_entry(&db, 2, Some("Other")).await;
    raw_entry(&db, 3, Some("Entry")).await;
    let stored_key = |seq: u32| ("a1".to_owned(), seq);
    assert!(db
        .get::<Entry>(stored_key(1))
        .consistent()
        .await
        .expect("get")
        .is_some());
    assert_eq!(
        db.get::<Entry>(stored_key(2))
            .consistent()
            .await
            .expect("get"),
        None
    );
    assert!(db
        .get::<Entry>(stored_key(3))
        .consistent()
        .await
        .expect("get")
        .is_some());
    let seqs: Vec<u32> = db
        .query::<Entry>("a1")
        .consistent()
        .all()
        .await
        .expect("query")
        .into_iter()
        .map(|e| e.seq)
        .collect();
    assert_eq!(seqs, [1, 3]);
    // Without `accept_missing`, the unmarked item is not this entity's.
    assert_eq!(
        db.get::<StrictEntry>(stored_key(1))
            .consistent()
            .await
            .expect("get"),
        None
    );
    let strict = db.query::<StrictEntry>("a1").all().await.expect("query");
    assert!(strict.is_empty());
    // Writing through the model marks the item.
    let entry = db
        .get::<Entry>(stored_key(1))
        .consistent()
        .await
        .expect("get");
    db.put(&entry.expect("found")).await.expect("put");
    assert_eq!(
        raw_item::<Entry>(&db, &stored_key(1)).await.expect("kept")["__entity"],
        s("Entry")
    );
}

/// The item `to_item` makes has room for what is written into it next (the
/// key attributes the templates compose, the entity's attributes): writing
/// them does not grow it.
#[test]
fn to_item_leaves_room_for_the_composed_keys_and_the_entity() {
    let note = Note {
        tenant: TENANT.to_owned(),
        id: 1,
        text: "hello".to_owned(),
    };
    let mut item = note.to_item().unwrap();
    let capacity = item.capacity();
    note.write_key_attributes(&mut item).unwrap();
    Note::ENTITY.unwrap().write(&mut item);
    assert!(item.len() >= 6, "{:?}", item.keys());
    assert_eq!(item.capacity(), capacity);
}
