//! Typed stream records (`dynamodel::stream`) decoded from what DynamoDB
//! Local's streams produced for writes made through dynamodel, read with the
//! Streams API and as the Lambda event Lambda would deliver for them.

use aws_sdk_dynamodb::types::StreamViewType;
use dynamodel::stream::{
    Change, ChangeBatch, ChangeKey, ChangeKind, Claim, RecordProblem, StreamItem, ViewType,
};
use dynamodel::{AttributeValue, Db, Error, Item, Model};
use dynamodel_tests::streams::{enable_stream, lambda_event, read_stream};
use dynamodel_tests::{db_with_table, n, s};

fn shout(value: String) -> String {
    value.to_uppercase()
}

#[derive(Model, Debug, Clone, PartialEq)]
#[dynamodel(table = "stream_orders")]
struct Order {
    #[dynamodel(hash_key)]
    customer: String,
    #[dynamodel(range_key)]
    number: u64,
    total: i64,
    /// Stored as written, read upper-cased: proves images go through the
    /// read pipeline.
    #[dynamodel(get = shout)]
    status: String,
}

fn order(number: u64, total: i64, status: &str) -> Order {
    Order {
        customer: "c1".into(),
        number,
        total,
        status: status.into(),
    }
}

/// Both sources' decoding of the stream of `M`'s table, checked equal;
/// `expected` records are awaited.
async fn decode_both<M: StreamItem + PartialEq>(
    stream_arn: &str,
    expected: usize,
) -> (
    ChangeBatch<M>,
    ChangeBatch<M>,
    Vec<aws_sdk_dynamodbstreams::types::Record>,
)
where
    M::Key: PartialEq,
{
    let records = read_stream(stream_arn, expected).await;
    assert_eq!(records.len(), expected, "records read from the stream");
    let from_api = ChangeBatch::<M>::from_stream_records(records.clone());
    let from_lambda = ChangeBatch::<M>::from_lambda_event(lambda_event(stream_arn, &records));
    assert_eq!(
        from_api.changes(),
        from_lambda.changes(),
        "a Lambda event and the Streams API give equal changes"
    );
    assert_eq!(from_api.errors().len(), from_lambda.errors().len());
    (from_api, from_lambda, records)
}

/// Create, put over it, update, delete, and a transaction's put: what each
/// view type carries, decoded; returns what `get` read after each write.
async fn write_the_story(db: &Db) -> Vec<Option<Order>> {
    let f = Order::fields();
    let mut reads = Vec::new();
    let key = ("c1".to_string(), 1u64);
    db.create(&order(1, 10, "new")).await.unwrap();
    reads.push(db.get::<Order>(key.clone()).consistent().await.unwrap());
    db.put(&order(1, 15, "paid")).await.unwrap();
    reads.push(db.get::<Order>(key.clone()).consistent().await.unwrap());
    db.update::<Order>(key.clone())
        .set(&f.total, 20i64)
        .await
        .unwrap();
    reads.push(db.get::<Order>(key.clone()).consistent().await.unwrap());
    db.delete::<Order>(key.clone()).await.unwrap();
    reads.push(None);
    db.transact_write()
        .put(db.put(&order(2, 5, "new")))
        .await
        .unwrap();
    reads.push(
        db.get::<Order>(("c1".to_string(), 2u64))
            .consistent()
            .await
            .unwrap(),
    );
    reads
}

async fn check_view_type(view: StreamViewType, expected_view: ViewType) {
    let db =
        db_with_table::<Order>(&format!("streams_{}", expected_view_name(expected_view))).await;
    let arn = enable_stream::<Order>(&db, view.clone()).await;
    let reads = write_the_story(&db).await;
    let (batch, _, records) = decode_both::<Order>(&arn, 5).await;
    assert!(batch.errors().is_empty(), "{:?}", batch.errors());
    assert_eq!(batch.skipped(), 0);
    let changes = batch.changes();
    let kinds: Vec<ChangeKind> = changes.iter().map(Change::kind).collect();
    use ChangeKind::*;
    assert_eq!(kinds, [Insert, Modify, Modify, Remove, Insert], "{view:?}");

    let carries_new = matches!(
        expected_view,
        ViewType::NewImage | ViewType::NewAndOldImages
    );
    let carries_old = matches!(
        expected_view,
        ViewType::OldImage | ViewType::NewAndOldImages
    );
    for (i, change) in changes.iter().enumerate() {
        assert_eq!(change.position(), i);
        assert_eq!(change.view_type(), Some(expected_view));
        let number = if i == 4 { 2 } else { 1 };
        assert_eq!(
            change.key(),
            &ChangeKey::Typed(("c1".to_string(), number)),
            "plain keys decode from the key attributes, {view:?} #{i}"
        );
        assert_eq!(change.raw_keys().item().get("customer"), Some(&s("c1")));
        let record = &records[i];
        assert_eq!(change.event_id(), record.event_id());
        assert_eq!(
            change.sequence_number(),
            record.dynamodb().unwrap().sequence_number()
        );
        assert!(change.approximate_creation_time().is_some());

        // The new image is what `get` read after the write; the old one
        // what it read after the write before.
        let new = match change.kind() {
            Remove => None,
            _ => reads[i].as_ref(),
        };
        let old = match (change.kind(), i) {
            (Insert, _) => None,
            (_, i) => reads[i - 1].as_ref(),
        };
        assert_eq!(
            change.new_image(),
            new.filter(|_| carries_new),
            "{view:?} #{i}"
        );
        assert_eq!(
            change.old_image(),
            old.filter(|_| carries_old),
            "{view:?} #{i}"
        );
    }
    if carries_new {
        assert_eq!(
            changes[0].new_image().unwrap().status,
            "NEW",
            "images go through the get transform"
        );
        assert_eq!(changes[2].new_image().unwrap().total, 20);
    }
}

fn expected_view_name(view: ViewType) -> &'static str {
    match view {
        ViewType::KeysOnly => "keys_only",
        ViewType::NewImage => "new_image",
        ViewType::OldImage => "old_image",
        ViewType::NewAndOldImages => "new_and_old",
    }
}

#[tokio::test]
async fn stream_keys_only_decodes_keys_without_images() {
    check_view_type(StreamViewType::KeysOnly, ViewType::KeysOnly).await;
}

#[tokio::test]
async fn stream_new_image_decodes_the_new_images() {
    check_view_type(StreamViewType::NewImage, ViewType::NewImage).await;
}

#[tokio::test]
async fn stream_old_image_decodes_the_old_images() {
    check_view_type(StreamViewType::OldImage, ViewType::OldImage).await;
}

#[tokio::test]
async fn stream_new_and_old_images_decodes_both() {
    check_view_type(StreamViewType::NewAndOldImages, ViewType::NewAndOldImages).await;
}

#[tokio::test]
async fn stream_bad_record_is_one_error_and_the_only_batch_failure() {
    let db = db_with_table::<Order>("streams_bad").await;
    let arn = enable_stream::<Order>(&db, StreamViewType::NewAndOldImages).await;
    db.put(&order(1, 10, "new")).await.unwrap();
    // An item the model cannot read: `total` holds text.
    db.client()
        .put_item()
        .table_name(db.table_name::<Order>())
        .item("customer", s("c1"))
        .item("number", n("2"))
        .item("total", AttributeValue::S("secret-total".into()))
        .item("status", s("new"))
        .send()
        .await
        .unwrap();
    db.put(&order(3, 30, "new")).await.unwrap();

    let (from_api, from_lambda, records) = decode_both::<Order>(&arn, 3).await;
    let bad_sequence = records[1].dynamodb().unwrap().sequence_number().unwrap();
    for batch in [&from_api, &from_lambda] {
        let numbers: Vec<u64> = batch
            .changes()
            .iter()
            .map(|change| change.new_image().unwrap().number)
            .collect();
        assert_eq!(numbers, [1, 3], "the other records decode");
        let [error] = batch.errors() else {
            panic!("one error expected: {:?}", batch.errors());
        };
        assert_eq!(error.position(), 1);
        assert_eq!(error.sequence_number(), Some(bad_sequence));
        assert_eq!(error.event_id(), records[1].event_id());
        assert!(matches!(error.problem(), RecordProblem::Image { .. }));
        let message = error.to_string();
        assert!(message.starts_with("Order: stream record #1"), "{message}");
        assert!(message.contains("Order.total"), "{message}");
        assert!(message.contains(bad_sequence), "{message}");
        assert!(!message.contains("secret-total"), "{message}");
        assert!(!format!("{batch:?}").contains("secret-total"));

        let response = batch.failures().into_response();
        let identifiers: Vec<Option<String>> = response
            .batch_item_failures
            .into_iter()
            .map(|failure| failure.item_identifier)
            .collect();
        assert_eq!(identifiers, [Some(bad_sequence.to_owned())]);
    }
}

#[derive(Model, Debug, Clone, PartialEq)]
#[dynamodel(
    table = "stream_ledger",
    pk = "ACCOUNT#{account}",
    sk = "ENTRY#{entry}"
)]
struct Entry {
    account: String,
    entry: u32,
    amount: i64,
}

#[tokio::test]
async fn stream_template_keys_come_from_images_else_stay_raw() {
    let entry = Entry {
        account: "acc-7".into(),
        entry: 3,
        amount: 12,
    };
    for (view, typed) in [
        (StreamViewType::NewImage, true),
        (StreamViewType::KeysOnly, false),
    ] {
        let db = db_with_table::<Entry>("streams_templates").await;
        let arn = enable_stream::<Entry>(&db, view.clone()).await;
        db.put(&entry).await.unwrap();
        let (batch, _, _) = decode_both::<Entry>(&arn, 1).await;
        let [change] = batch.changes() else {
            panic!("one change expected: {batch:?}");
        };
        let key = change.key();
        if typed {
            assert_eq!(key, &ChangeKey::Typed(("acc-7".to_string(), 3)), "{view:?}");
            assert_eq!(change.new_image(), Some(&entry));
        } else {
            let ChangeKey::Raw(keys) = key else {
                panic!("a template key without images is raw");
            };
            assert_eq!(keys.item().get("pk"), Some(&s("ACCOUNT#acc-7")));
            assert_eq!(keys.item().get("sk"), Some(&s("ENTRY#0000000003")));
            let shown = format!("{change:?}");
            assert!(shown.contains("\"pk\": S(<redacted>)"), "{shown}");
            assert!(!shown.contains("acc-7"), "{shown}");
        }
    }
}

// Two entities on one table: a type that stands for one of them claims its
// records and leaves the others' alone (the seam collection enums use).

#[derive(Model, Debug, Clone, PartialEq)]
#[dynamodel(
    table = "stream_shop",
    pk = "CUSTOMER#{customer}",
    sk = "ORDER#{number}"
)]
struct ShopOrder {
    customer: String,
    number: u32,
    total: i64,
}

#[derive(Model, Debug, Clone, PartialEq)]
#[dynamodel(table = "stream_shop", pk = "CUSTOMER#{id}", sk = "PROFILE#{id}")]
struct ShopCustomer {
    id: String,
    name: String,
}

/// The orders of the shop table, by their sort key's prefix.
#[derive(Debug, PartialEq)]
struct OrdersOnly(ShopOrder);

impl StreamItem for OrdersOnly {
    type Key = <ShopOrder as Model>::Key;
    const NAME: &'static str = "OrdersOnly";

    fn claim(keys: &Item, _image: Option<&Item>) -> Claim {
        match keys.get("sk") {
            Some(AttributeValue::S(sk)) if sk.starts_with("ORDER#") => Claim::Mine,
            _ => Claim::NotMine,
        }
    }

    fn decode_image(image: Item) -> Result<Self, Error> {
        <ShopOrder as StreamItem>::decode_image(image).map(OrdersOnly)
    }

    fn decode_key(keys: &Item) -> Option<Result<Self::Key, Error>> {
        <ShopOrder as StreamItem>::decode_key(keys)
    }

    fn key_of(&self) -> Self::Key {
        self.0.key()
    }
}

#[tokio::test]
async fn stream_other_entities_records_are_skipped_not_errors() {
    let db = db_with_table::<ShopOrder>("streams_shared").await;
    let arn = enable_stream::<ShopOrder>(&db, StreamViewType::NewImage).await;
    let order = ShopOrder {
        customer: "c9".into(),
        number: 1,
        total: 40,
    };
    db.put(&ShopCustomer {
        id: "c9".into(),
        name: "Ada".into(),
    })
    .await
    .unwrap();
    db.put(&order).await.unwrap();

    let (batch, _, _) = decode_both::<OrdersOnly>(&arn, 2).await;
    assert_eq!(batch.skipped(), 1, "the customer's record is skipped");
    assert!(batch.errors().is_empty(), "{batch:?}");
    let [change] = batch.changes() else {
        panic!("one change expected: {batch:?}");
    };
    assert_eq!(change.position(), 1);
    assert_eq!(change.new_image(), Some(&OrdersOnly(order.clone())));
    assert!(batch.failures().is_empty());

    // An entity model skips the other entity's records by their entity
    // attribute, as `get` and queries do: no error for the customer's.
    let (batch, _, _) = decode_both::<ShopOrder>(&arn, 2).await;
    assert_eq!(
        (batch.skipped(), batch.changes().len(), batch.errors().len()),
        (1, 1, 0),
        "{batch:?}"
    );
    assert_eq!(batch.changes()[0].new_image(), Some(&order));
}

// A shared table's records decoded into a collection enum: each into the
// member whose entity it holds.

/// A third entity of the shop table, not in the collection.
#[derive(Model, Debug, Clone, PartialEq)]
#[dynamodel(table = "stream_shop", pk = "CUSTOMER#{customer}", sk = "NOTE#{note}")]
struct ShopNote {
    customer: String,
    note: u32,
    text: String,
}

#[derive(dynamodel::Collection, Debug, Clone, PartialEq)]
enum ShopItem {
    Customer(ShopCustomer),
    Order(ShopOrder),
}

fn shop_order(number: u32, total: i64) -> ShopOrder {
    ShopOrder {
        customer: "c1".into(),
        number,
        total,
    }
}

fn shop_customer(name: &str) -> ShopCustomer {
    ShopCustomer {
        id: "c1".into(),
        name: name.into(),
    }
}

/// What each record of [`write_the_shop_story`] holds: kind, new and old
/// item (as `get` reads them), whether the collection lists its entity.
type Expected = (ChangeKind, Option<ShopItem>, Option<ShopItem>, bool);

/// Create, update, a transaction over two entities, another entity's put,
/// delete; the records expected, in stream order except the transaction's
/// two (positions 3 and 4), whose order DynamoDB does not promise.
async fn write_the_shop_story(db: &Db) -> Vec<Expected> {
    use ChangeKind::*;
    use ShopItem::{Customer, Order};
    db.create(&shop_customer("Ada")).await.unwrap();
    db.create(&shop_order(1, 10)).await.unwrap();
    db.update::<ShopOrder>(("c1".to_string(), 1u32))
        .set(&ShopOrder::fields().total, 20i64)
        .await
        .unwrap();
    db.transact_write()
        .put(db.put(&shop_order(2, 5)))
        .update(
            db.update::<ShopCustomer>("c1".to_string())
                .set(&ShopCustomer::fields().name, "Ada L.".to_string()),
        )
        .await
        .unwrap();
    db.put(&ShopNote {
        customer: "c1".into(),
        note: 1,
        text: "call back".into(),
    })
    .await
    .unwrap();
    db.delete::<ShopOrder>(("c1".to_string(), 1u32))
        .await
        .unwrap();
    vec![
        (Insert, Some(Customer(shop_customer("Ada"))), None, true),
        (Insert, Some(Order(shop_order(1, 10))), None, true),
        (
            Modify,
            Some(Order(shop_order(1, 20))),
            Some(Order(shop_order(1, 10))),
            true,
        ),
        (Insert, Some(Order(shop_order(2, 5))), None, true),
        (
            Modify,
            Some(Customer(shop_customer("Ada L."))),
            Some(Customer(shop_customer("Ada"))),
            true,
        ),
        (Insert, None, None, false),
        (Remove, None, Some(Order(shop_order(1, 20))), true),
    ]
}

/// The key a collection change should carry: the member's, from an image.
fn member_key(item: &ShopItem) -> ShopItemKey {
    match item {
        ShopItem::Customer(customer) => ShopItemKey::Customer(customer.key()),
        ShopItem::Order(order) => ShopItemKey::Order(order.key()),
    }
}

async fn check_collection_view_type(view: StreamViewType, expected_view: ViewType) {
    let name = format!("streams_coll_{}", expected_view_name(expected_view));
    let db = db_with_table::<ShopOrder>(&name).await;
    let arn = enable_stream::<ShopOrder>(&db, view.clone()).await;
    let mut expected = write_the_shop_story(&db).await;
    let (batch, _, records) = decode_both::<ShopItem>(&arn, expected.len()).await;
    assert!(batch.errors().is_empty(), "{:?}", batch.errors());

    let carries_new = matches!(
        expected_view,
        ViewType::NewImage | ViewType::NewAndOldImages
    );
    let carries_old = matches!(
        expected_view,
        ViewType::OldImage | ViewType::NewAndOldImages
    );
    // The transaction's two records in the order the stream has them.
    let transaction_customer_first = records[3]
        .dynamodb()
        .and_then(|change| change.keys())
        .and_then(|keys| keys.get("sk"))
        .is_some_and(|sk| sk.as_s().is_ok_and(|sk| sk.starts_with("PROFILE")));
    if transaction_customer_first {
        expected.swap(3, 4);
    }
    // The note (an insert) is skipped when its new image shows its entity;
    // without an image its entity cannot be told, and the record is kept.
    let listed: Vec<&Expected> = expected
        .iter()
        .filter(|(_, _, _, listed)| *listed || !carries_new)
        .collect();
    assert_eq!(
        batch.skipped(),
        expected.len() - listed.len(),
        "{view:?}: the note is skipped when an image shows its entity"
    );
    assert_eq!(batch.changes().len(), listed.len(), "{view:?}");
    for (change, (kind, new, old, _)) in batch.changes().iter().zip(&listed) {
        assert_eq!(change.kind(), *kind, "{view:?} #{}", change.position());
        assert_eq!(change.view_type(), Some(expected_view));
        let new = new.as_ref().filter(|_| carries_new);
        let old = old.as_ref().filter(|_| carries_old);
        assert_eq!(change.new_image(), new, "{view:?} #{}", change.position());
        assert_eq!(change.old_image(), old, "{view:?} #{}", change.position());
        match new.or(old) {
            Some(item) => assert_eq!(change.key(), &ChangeKey::Typed(member_key(item))),
            None => assert!(
                matches!(change.key(), ChangeKey::Raw(keys) if keys.item().contains_key("sk")),
                "no image: the key as stored, {view:?} #{}",
                change.position()
            ),
        }
    }
}

#[tokio::test]
async fn stream_collection_keys_only_keeps_every_record_keyed_raw() {
    check_collection_view_type(StreamViewType::KeysOnly, ViewType::KeysOnly).await;
}

#[tokio::test]
async fn stream_collection_new_image_dispatches_by_entity() {
    check_collection_view_type(StreamViewType::NewImage, ViewType::NewImage).await;
}

#[tokio::test]
async fn stream_collection_old_image_dispatches_by_entity() {
    check_collection_view_type(StreamViewType::OldImage, ViewType::OldImage).await;
}

#[tokio::test]
async fn stream_collection_new_and_old_images_dispatch_by_entity() {
    check_collection_view_type(StreamViewType::NewAndOldImages, ViewType::NewAndOldImages).await;
}

#[tokio::test]
async fn stream_collection_bad_record_names_the_member_and_only_it_fails() {
    let db = db_with_table::<ShopOrder>("streams_coll_bad").await;
    let arn = enable_stream::<ShopOrder>(&db, StreamViewType::NewAndOldImages).await;
    db.create(&shop_customer("Ada")).await.unwrap();
    db.create(&shop_order(1, 10)).await.unwrap();
    // The order's item rewritten behind the model's back: `total` holds text.
    let key = ("c1".to_string(), 1u32);
    let mut item = dynamodel_tests::raw_item::<ShopOrder>(&db, &key)
        .await
        .unwrap();
    item.insert("total".into(), AttributeValue::S("secret-total".into()));
    db.client()
        .put_item()
        .table_name(db.table_name::<ShopOrder>())
        .set_item(Some(item))
        .send()
        .await
        .unwrap();
    db.create(&shop_order(2, 7)).await.unwrap();

    let (from_api, from_lambda, records) = decode_both::<ShopItem>(&arn, 4).await;
    let bad_sequence = records[2].dynamodb().unwrap().sequence_number().unwrap();
    for batch in [&from_api, &from_lambda] {
        let positions: Vec<usize> = batch.changes().iter().map(Change::position).collect();
        assert_eq!(positions, [0, 1, 3], "the other records decode");
        let [error] = batch.errors() else {
            panic!("one error expected: {:?}", batch.errors());
        };
        assert_eq!(error.position(), 2);
        assert!(matches!(
            error.problem(),
            RecordProblem::Image {
                image: dynamodel::stream::Image::New,
                ..
            }
        ));
        let message = error.to_string();
        assert!(
            message.starts_with("ShopItem: stream record #2"),
            "{message}"
        );
        assert!(message.contains("ShopOrder.total"), "{message}");
        assert!(!message.contains("secret-total"), "{message}");
        let identifiers: Vec<Option<String>> = batch
            .failures()
            .into_response()
            .batch_item_failures
            .into_iter()
            .map(|failure| failure.item_identifier)
            .collect();
        assert_eq!(identifiers, [Some(bad_sequence.to_owned())]);
    }
}
