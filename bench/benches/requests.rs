//! Request building per operation, dynamodel against hand-written code:
//! item conversion plus expressions (`to_request()` dry runs against the
//! same SDK inputs built by hand), and whole batch and transaction sends
//! through the null HTTP client (no network), where the SDK's own work is
//! the same on both sides.
//!
//! `cargo bench -p dynamodel-bench`

use std::hint::black_box;
use std::time::Duration;

use aws_sdk_dynamodb::operation::put_item::PutItemInput;
use aws_sdk_dynamodb::operation::update_item::UpdateItemInput;
use aws_sdk_dynamodb::types::{
    AttributeValue, Put, PutRequest, ReturnValue, ReturnValuesOnConditionCheckFailure,
    TransactWriteItem, WriteRequest,
};
use criterion::{criterion_group, criterion_main, Criterion};
use dynamodel::{Db, Model};
use dynamodel_bench::model::{key, order, to_item, Order};

const TABLE: &str = "bench_orders";

fn orders(n: usize) -> Vec<Order> {
    (0..n).map(|i| order(format!("p{i}"), i)).collect()
}

fn single_requests(c: &mut Criterion) {
    let db = Db::new(dynamodel_bench::null_http::sdk_client());
    let sample = order("p".to_owned(), 7);
    let fields = Order::fields();

    let mut group = c.benchmark_group("put");
    group.bench_function("dynamodel", |b| {
        b.iter(|| black_box(db.put(black_box(&sample)).to_request()))
    });
    group.bench_function("by hand", |b| {
        b.iter(|| {
            black_box(
                PutItemInput::builder()
                    .table_name(TABLE)
                    .set_item(Some(to_item(black_box(&sample))))
                    .build(),
            )
        })
    });
    group.finish();

    let mut group = c.benchmark_group("create");
    group.bench_function("dynamodel", |b| {
        b.iter(|| black_box(db.create(black_box(&sample)).to_request()))
    });
    group.bench_function("by hand", |b| {
        b.iter(|| {
            black_box(
                PutItemInput::builder()
                    .table_name(TABLE)
                    .set_item(Some(to_item(black_box(&sample))))
                    .condition_expression("attribute_not_exists(#k)")
                    .expression_attribute_names("#k", "pk")
                    .return_values_on_condition_check_failure(
                        ReturnValuesOnConditionCheckFailure::AllOld,
                    )
                    .build(),
            )
        })
    });
    group.finish();

    let mut group = c.benchmark_group("update");
    group.bench_function("dynamodel", |b| {
        b.iter(|| {
            black_box(
                db.update::<Order>((sample.pk.clone(), sample.sk.clone()))
                    .set(&fields.name, "Renamed")
                    .increment(&fields.logins, 1u64)
                    .return_all_new()
                    .to_request(),
            )
        })
    });
    group.bench_function("by hand", |b| {
        b.iter(|| {
            black_box(
                UpdateItemInput::builder()
                    .table_name(TABLE)
                    .set_key(Some(key(&sample.pk, &sample.sk)))
                    .update_expression("SET #n = :n, #l = if_not_exists(#l, :z) + :o")
                    .condition_expression("attribute_exists(#k)")
                    .expression_attribute_names("#n", "name")
                    .expression_attribute_names("#l", "logins")
                    .expression_attribute_names("#k", "pk")
                    .expression_attribute_values(":n", AttributeValue::S("Renamed".into()))
                    .expression_attribute_values(":z", AttributeValue::N("0".into()))
                    .expression_attribute_values(":o", AttributeValue::N("1".into()))
                    .return_values(ReturnValue::AllNew)
                    .build(),
            )
        })
    });
    group.finish();
}

fn many_item_requests(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let client = dynamodel_bench::null_http::sdk_client();
    let db = Db::new(client.clone());
    let batch = orders(25);

    let mut group = c.benchmark_group("batch put of 25 (null HTTP)");
    group.bench_function("dynamodel", |b| {
        b.iter(|| runtime.block_on(db.batch_put(&batch).send()).expect("sent"))
    });
    group.bench_function("by hand", |b| {
        b.iter(|| {
            let requests: Vec<WriteRequest> = batch
                .iter()
                .map(|o| {
                    WriteRequest::builder()
                        .put_request(
                            PutRequest::builder()
                                .set_item(Some(to_item(o)))
                                .build()
                                .expect("item set"),
                        )
                        .build()
                })
                .collect();
            runtime
                .block_on(
                    client
                        .batch_write_item()
                        .request_items(TABLE, requests)
                        .send(),
                )
                .expect("sent")
        })
    });
    group.finish();

    let mut group = c.benchmark_group("transaction of 10 creates (null HTTP)");
    let actions = &batch[..10];
    group.bench_function("dynamodel", |b| {
        b.iter(|| {
            let tx = actions
                .iter()
                .fold(db.transact_write(), |tx, o| tx.create(db.create(o)));
            runtime.block_on(tx.send()).expect("sent")
        })
    });
    group.bench_function("by hand", |b| {
        b.iter(|| {
            let items: Vec<TransactWriteItem> = actions
                .iter()
                .map(|o| {
                    TransactWriteItem::builder()
                        .put(
                            Put::builder()
                                .table_name(TABLE)
                                .set_item(Some(to_item(o)))
                                .condition_expression("attribute_not_exists(#k)")
                                .expression_attribute_names("#k", "pk")
                                .return_values_on_condition_check_failure(
                                    ReturnValuesOnConditionCheckFailure::AllOld,
                                )
                                .build()
                                .expect("table and item set"),
                        )
                        .build()
                })
                .collect();
            runtime
                .block_on(
                    client
                        .transact_write_items()
                        .set_transact_items(Some(items))
                        .send(),
                )
                .expect("sent")
        })
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2));
    targets = single_requests, many_item_requests
}
criterion_main!(benches);
