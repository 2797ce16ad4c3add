//! The fault-injection proxy against DynamoDB Local.

use std::collections::{BTreeSet, HashMap};
use std::time::{SystemTime, UNIX_EPOCH};

use aws_sdk_dynamodb::config::retry::RetryConfig;
use aws_sdk_dynamodb::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_dynamodb::error::ProvideErrorMetadata;
use aws_sdk_dynamodb::types::{
    AttributeDefinition, AttributeValue, BillingMode, KeySchemaElement, KeyType, KeysAndAttributes,
    PutRequest, ScalarAttributeType, WriteRequest,
};
use aws_sdk_dynamodb::Client;
use dynamodel_tests::fault::{FaultConfig, FaultProxy, LostResponseMode, Rejection, ThrottleError};

/// The DynamoDB Local endpoint the proxy forwards to.
async fn upstream_endpoint() -> String {
    match dynamodel::local::endpoint().await {
        Ok(endpoint) => endpoint,
        Err(err) => panic!("DynamoDB Local is not available: {err}"),
    }
}

/// A client without SDK retries, so injected faults are observable.
fn client(endpoint: &str) -> Client {
    let config = aws_sdk_dynamodb::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new("a", "b", None, None, "static"))
        .endpoint_url(endpoint)
        .retry_config(RetryConfig::disabled())
        .build();
    Client::from_conf(config)
}

fn unique_table(prefix: &str) -> String {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    format!("fault_{prefix}_{nanos}")
}

/// Creates a table with string hash key `pk` (through whatever client is given:
/// control-plane requests pass the proxy untouched).
async fn create_table(client: &Client, name: &str) {
    client
        .create_table()
        .table_name(name)
        .billing_mode(BillingMode::PayPerRequest)
        .attribute_definitions(
            AttributeDefinition::builder()
                .attribute_name("pk")
                .attribute_type(ScalarAttributeType::S)
                .build()
                .unwrap(),
        )
        .key_schema(
            KeySchemaElement::builder()
                .attribute_name("pk")
                .key_type(KeyType::Hash)
                .build()
                .unwrap(),
        )
        .send()
        .await
        .expect("create table");
}

fn key(pk: &str) -> HashMap<String, AttributeValue> {
    HashMap::from([("pk".to_owned(), AttributeValue::S(pk.to_owned()))])
}

fn item(pk: &str) -> HashMap<String, AttributeValue> {
    let mut item = key(pk);
    item.insert(
        "payload".to_owned(),
        AttributeValue::S(format!("value of {pk}")),
    );
    item
}

fn pk_of(item: &HashMap<String, AttributeValue>) -> String {
    item["pk"].as_s().unwrap().clone()
}

/// All `pk`s in a table (read directly from upstream).
async fn scan_keys(client: &Client, table: &str) -> BTreeSet<String> {
    let mut keys = BTreeSet::new();
    let mut start = None;
    loop {
        let page = client
            .scan()
            .table_name(table)
            .consistent_read(true)
            .set_exclusive_start_key(start)
            .send()
            .await
            .expect("scan");
        keys.extend(page.items().iter().map(pk_of));
        start = page.last_evaluated_key().cloned();
        if start.is_none() {
            return keys;
        }
    }
}

#[tokio::test]
async fn throttle_rejects_without_forwarding() {
    let upstream = upstream_endpoint().await;
    let direct = client(&upstream);
    let config = FaultConfig {
        throttle: 1.0,
        ..FaultConfig::seeded(1)
    };
    let proxy = FaultProxy::start(&upstream, config.clone()).await.unwrap();
    let via_proxy = client(&proxy.endpoint());
    let table = unique_table("throttle");
    create_table(&via_proxy, &table).await; // control plane is never faulted

    let err = via_proxy
        .put_item()
        .table_name(&table)
        .set_item(Some(item("a")))
        .send()
        .await
        .expect_err("throttled");
    assert_eq!(
        err.code(),
        Some("ProvisionedThroughputExceededException"),
        "{err:?}"
    );
    assert!(err
        .as_service_error()
        .unwrap()
        .is_provisioned_throughput_exceeded_exception());

    proxy.set_config(FaultConfig {
        throttle_error: ThrottleError::Throttling,
        ..config.clone()
    });
    let err = via_proxy
        .get_item()
        .table_name(&table)
        .set_key(Some(key("a")))
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("ThrottlingException"), "{err:?}");
    proxy.set_config(FaultConfig {
        throttle_error: ThrottleError::RequestLimitExceeded,
        ..config
    });
    let err = via_proxy
        .get_item()
        .table_name(&table)
        .set_key(Some(key("a")))
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("RequestLimitExceeded"), "{err:?}");

    assert!(
        scan_keys(&direct, &table).await.is_empty(),
        "a throttled write must not happen"
    );
    let stats = proxy.stats();
    println!("{stats}");
    assert_eq!((stats.eligible, stats.throttled, stats.faults()), (3, 3, 3));
    assert_eq!(
        stats.forwarded,
        stats.requests - 3,
        "only CreateTable is forwarded"
    );

    // Rates can change at runtime.
    proxy.set_config(FaultConfig::seeded(1));
    via_proxy
        .put_item()
        .table_name(&table)
        .set_item(Some(item("b")))
        .send()
        .await
        .unwrap();
    assert_eq!(
        scan_keys(&direct, &table).await,
        BTreeSet::from(["b".to_owned()])
    );
}

#[tokio::test]
async fn server_error_rejects_without_forwarding() {
    let upstream = upstream_endpoint().await;
    let direct = client(&upstream);
    let proxy = FaultProxy::start(
        &upstream,
        FaultConfig {
            server_error: 1.0,
            ..FaultConfig::seeded(2)
        },
    )
    .await
    .unwrap();
    let via_proxy = client(&proxy.endpoint());
    let table = unique_table("server_error");
    create_table(&via_proxy, &table).await;

    let err = via_proxy
        .put_item()
        .table_name(&table)
        .set_item(Some(item("a")))
        .send()
        .await
        .expect_err("server error");
    assert_eq!(err.code(), Some("InternalServerError"), "{err:?}");
    assert_eq!(err.raw_response().map(|r| r.status().as_u16()), Some(500));
    assert!(scan_keys(&direct, &table).await.is_empty());
    let stats = proxy.stats();
    println!("{stats}");
    assert_eq!(
        (stats.eligible, stats.server_errors, stats.faults()),
        (1, 1, 1)
    );
}

#[tokio::test]
async fn partial_batch_write_forwards_exactly_the_processed_items() {
    let upstream = upstream_endpoint().await;
    let direct = client(&upstream);
    let proxy = FaultProxy::start(
        &upstream,
        FaultConfig {
            partial_batch: 1.0,
            ..FaultConfig::seeded(3)
        },
    )
    .await
    .unwrap();
    let via_proxy = client(&proxy.endpoint());
    let table = unique_table("partial_write");
    create_table(&direct, &table).await;

    let all: BTreeSet<String> = (0..25).map(|i| format!("item{i:02}")).collect();
    let requests: Vec<WriteRequest> = all
        .iter()
        .map(|pk| {
            WriteRequest::builder()
                .put_request(
                    PutRequest::builder()
                        .set_item(Some(item(pk)))
                        .build()
                        .unwrap(),
                )
                .build()
        })
        .collect();
    let output = via_proxy
        .batch_write_item()
        .request_items(&table, requests)
        .send()
        .await
        .expect("partial batch is a success");

    let unprocessed: BTreeSet<String> = output
        .unprocessed_items()
        .and_then(|u| u.get(&table))
        .expect("some unprocessed items")
        .iter()
        .map(|w| pk_of(w.put_request().unwrap().item()))
        .collect();
    assert!(
        !unprocessed.is_empty() && unprocessed.len() < 25,
        "{}",
        unprocessed.len()
    );
    // The unprocessed entries are complete write requests, ready to resend.
    let first = &output.unprocessed_items().unwrap()[&table][0];
    assert!(first.put_request().unwrap().item().contains_key("payload"));

    let stored = scan_keys(&direct, &table).await;
    let expected: BTreeSet<String> = all.difference(&unprocessed).cloned().collect();
    assert_eq!(stored, expected, "exactly the processed items are stored");

    let stats = proxy.stats();
    println!("{stats}");
    assert_eq!(stats.partial_batches, 1);
    assert_eq!(stats.withheld, unprocessed.len() as u64);

    // Resending the unprocessed items (here: faults off) completes the batch.
    proxy.set_config(FaultConfig::seeded(3));
    let retry = via_proxy
        .batch_write_item()
        .set_request_items(output.unprocessed_items().cloned())
        .send()
        .await
        .unwrap();
    assert!(retry.unprocessed_items().iter().all(|u| u.is_empty()));
    assert_eq!(scan_keys(&direct, &table).await, all);
}

#[tokio::test]
async fn partial_batch_get_reports_unprocessed_keys_with_request_attributes() {
    let upstream = upstream_endpoint().await;
    let direct = client(&upstream);
    let proxy = FaultProxy::start(
        &upstream,
        FaultConfig {
            partial_batch: 1.0,
            ..FaultConfig::seeded(4)
        },
    )
    .await
    .unwrap();
    let via_proxy = client(&proxy.endpoint());
    let (t1, t2) = (unique_table("partial_get1"), unique_table("partial_get2"));
    create_table(&direct, &t1).await;
    create_table(&direct, &t2).await;
    for i in 0..20 {
        for table in [&t1, &t2] {
            direct
                .put_item()
                .table_name(table)
                .set_item(Some(item(&format!("k{i:02}"))))
                .send()
                .await
                .unwrap();
        }
    }

    let keys_and_attributes = |table_keys: Vec<HashMap<String, AttributeValue>>| {
        KeysAndAttributes::builder()
            .set_keys(Some(table_keys))
            .projection_expression("#k, #p")
            .expression_attribute_names("#k", "pk")
            .expression_attribute_names("#p", "payload")
            .consistent_read(true)
            .build()
            .unwrap()
    };
    let wanted: BTreeSet<String> = (0..20).map(|i| format!("k{i:02}")).collect();
    let output = via_proxy
        .batch_get_item()
        .request_items(
            &t1,
            keys_and_attributes(wanted.iter().map(|k| key(k)).collect()),
        )
        .request_items(
            &t2,
            keys_and_attributes(wanted.iter().map(|k| key(k)).collect()),
        )
        .send()
        .await
        .expect("partial batch get is a success");

    let unprocessed = output.unprocessed_keys().expect("unprocessed keys");
    assert!(!unprocessed.is_empty());
    let mut total_unprocessed = 0;
    for table in [&t1, &t2] {
        let got: Vec<String> = output
            .responses()
            .and_then(|r| r.get(table))
            .map(|items| items.iter().map(pk_of).collect())
            .unwrap_or_default();
        assert!(output
            .responses()
            .and_then(|r| r.get(table))
            .into_iter()
            .flatten()
            .all(|i| i.contains_key("payload")));
        let left: Vec<String> = match unprocessed.get(table) {
            Some(ka) => {
                assert_eq!(ka.projection_expression(), Some("#k, #p"));
                let names = ka.expression_attribute_names().unwrap();
                assert_eq!(names.get("#p").map(String::as_str), Some("payload"));
                assert_eq!(ka.consistent_read(), Some(true));
                ka.keys().iter().map(pk_of).collect()
            }
            None => Vec::new(),
        };
        total_unprocessed += left.len();
        let got_set: BTreeSet<String> = got.iter().cloned().collect();
        let left_set: BTreeSet<String> = left.iter().cloned().collect();
        assert_eq!(got.len() + left.len(), 20, "{table}");
        assert!(got_set.is_disjoint(&left_set));
        assert_eq!(&got_set | &left_set, wanted);
    }
    assert!(total_unprocessed > 0 && total_unprocessed < 40);
    let stats = proxy.stats();
    println!("{stats}");
    assert_eq!(
        (stats.partial_batches, stats.withheld),
        (1, total_unprocessed as u64)
    );

    // The unprocessed keys can be sent back as they are.
    proxy.set_config(FaultConfig::seeded(4));
    let retry = via_proxy
        .batch_get_item()
        .set_request_items(output.unprocessed_keys().cloned())
        .send()
        .await
        .unwrap();
    let returned: usize = retry.responses().unwrap().values().map(Vec::len).sum();
    assert_eq!(returned, total_unprocessed);
}

#[tokio::test]
async fn lost_response_as_server_error_still_writes() {
    let upstream = upstream_endpoint().await;
    let direct = client(&upstream);
    let proxy = FaultProxy::start(
        &upstream,
        FaultConfig {
            lost_response: 1.0,
            ..FaultConfig::seeded(5)
        },
    )
    .await
    .unwrap();
    let via_proxy = client(&proxy.endpoint());
    let table = unique_table("lost");
    create_table(&via_proxy, &table).await;

    let err = via_proxy
        .put_item()
        .table_name(&table)
        .set_item(Some(item("a")))
        .send()
        .await
        .expect_err("response lost");
    assert_eq!(err.code(), Some("InternalServerError"), "{err:?}");
    assert_eq!(
        scan_keys(&direct, &table).await,
        BTreeSet::from(["a".to_owned()])
    );
    let stats = proxy.stats();
    println!("{stats}");
    assert_eq!((stats.lost_responses, stats.faults()), (1, 1));
    assert_eq!(stats.forwarded, stats.requests);
}

#[tokio::test]
async fn lost_response_by_dropped_connection_still_writes() {
    let upstream = upstream_endpoint().await;
    let direct = client(&upstream);
    let config = FaultConfig {
        lost_response: 1.0,
        lost_response_mode: LostResponseMode::DropConnection,
        ..FaultConfig::seeded(6)
    };
    let proxy = FaultProxy::start(&upstream, config).await.unwrap();
    let via_proxy = client(&proxy.endpoint());
    let table = unique_table("dropped");
    create_table(&via_proxy, &table).await;

    for pk in ["a", "b"] {
        let err = via_proxy
            .put_item()
            .table_name(&table)
            .set_item(Some(item(pk)))
            .send()
            .await
            .expect_err("connection dropped");
        assert!(
            err.as_service_error().is_none(),
            "an I/O failure, not a service error: {err:?}"
        );
    }
    assert_eq!(
        scan_keys(&direct, &table).await,
        BTreeSet::from(["a".to_owned(), "b".to_owned()])
    );
    // The proxy keeps serving on new connections.
    proxy.set_config(FaultConfig::seeded(6));
    via_proxy
        .put_item()
        .table_name(&table)
        .set_item(Some(item("c")))
        .send()
        .await
        .unwrap();
    let stats = proxy.stats();
    println!("{stats}");
    assert_eq!(stats.lost_responses, 2);
}

/// What a client observed for one request.
#[derive(Debug, PartialEq, Eq)]
enum Outcome {
    Ok,
    Error(String),
}

async fn run_sequence(upstream: &str, config: FaultConfig, n: u64) -> Vec<Outcome> {
    let proxy = FaultProxy::start(upstream, config).await.unwrap();
    let via_proxy = client(&proxy.endpoint());
    let table = unique_table("sequence");
    create_table(&via_proxy, &table).await;
    let mut outcomes = Vec::new();
    for i in 0..n {
        let result = via_proxy
            .put_item()
            .table_name(&table)
            .set_item(Some(item(&format!("k{i}"))))
            .send()
            .await;
        outcomes.push(match result {
            Ok(_) => Outcome::Ok,
            Err(e) => Outcome::Error(e.code().unwrap_or("?").to_owned()),
        });
    }
    println!("{}", proxy.stats());
    outcomes
}

#[tokio::test]
async fn same_seed_replays_the_same_fault_sequence() {
    let upstream = upstream_endpoint().await;
    let config = FaultConfig {
        throttle: 0.25,
        server_error: 0.2,
        lost_response: 0.2,
        throttle_error: ThrottleError::Throttling,
        ..FaultConfig::seeded(42)
    };
    let first = run_sequence(&upstream, config.clone(), 40).await;
    let second = run_sequence(&upstream, config.clone(), 40).await;
    assert_eq!(first, second);

    // The observed outcomes are exactly the ones `decide` predicts.
    let predicted: Vec<Outcome> = (0..40)
        .map(|seq| {
            let decision = config.decide(seq, "PutItem");
            match decision.reject {
                Some(Rejection::Throttle(kind)) => Outcome::Error(kind.code().to_owned()),
                Some(Rejection::ServerError) => Outcome::Error("InternalServerError".to_owned()),
                None if decision.lost_response => Outcome::Error("InternalServerError".to_owned()),
                None => Outcome::Ok,
            }
        })
        .collect();
    assert_eq!(first, predicted);
    assert!(first.contains(&Outcome::Ok));
    assert!(first.contains(&Outcome::Error("ThrottlingException".to_owned())));
    assert!(first.contains(&Outcome::Error("InternalServerError".to_owned())));

    let other = run_sequence(&upstream, FaultConfig { seed: 43, ..config }, 40).await;
    assert_ne!(first, other, "another seed gives another sequence");
}

#[tokio::test]
async fn zero_rates_are_transparent() {
    let upstream = upstream_endpoint().await;
    let direct = client(&upstream);
    let proxy = FaultProxy::start(&upstream, FaultConfig::seeded(7))
        .await
        .unwrap();
    let via_proxy = client(&proxy.endpoint());
    let table = unique_table("transparent");
    create_table(&via_proxy, &table).await;

    via_proxy
        .put_item()
        .table_name(&table)
        .set_item(Some(item("a")))
        .send()
        .await
        .unwrap();
    let got = via_proxy
        .get_item()
        .table_name(&table)
        .set_key(Some(key("a")))
        .consistent_read(true)
        .send()
        .await
        .unwrap();
    assert_eq!(got.item(), Some(&item("a")));
    via_proxy
        .update_item()
        .table_name(&table)
        .set_key(Some(key("a")))
        .update_expression("SET payload = :v")
        .expression_attribute_values(":v", AttributeValue::S("updated".into()))
        .send()
        .await
        .unwrap();
    let queried = via_proxy
        .query()
        .table_name(&table)
        .key_condition_expression("pk = :pk")
        .expression_attribute_values(":pk", AttributeValue::S("a".into()))
        .send()
        .await
        .unwrap();
    assert_eq!(queried.items()[0]["payload"].as_s().unwrap(), "updated");

    let requests: Vec<WriteRequest> = (0..25)
        .map(|i| {
            WriteRequest::builder()
                .put_request(
                    PutRequest::builder()
                        .set_item(Some(item(&format!("b{i:02}"))))
                        .build()
                        .unwrap(),
                )
                .build()
        })
        .collect();
    let written = via_proxy
        .batch_write_item()
        .request_items(&table, requests)
        .send()
        .await
        .unwrap();
    assert!(written.unprocessed_items().iter().all(|u| u.is_empty()));
    let keys = KeysAndAttributes::builder()
        .set_keys(Some((0..25).map(|i| key(&format!("b{i:02}"))).collect()))
        .build()
        .unwrap();
    let read = via_proxy
        .batch_get_item()
        .request_items(&table, keys)
        .send()
        .await
        .unwrap();
    assert_eq!(read.responses().unwrap()[&table].len(), 25);
    via_proxy
        .delete_item()
        .table_name(&table)
        .set_key(Some(key("a")))
        .send()
        .await
        .unwrap();
    via_proxy
        .describe_table()
        .table_name(&table)
        .send()
        .await
        .unwrap();

    assert_eq!(scan_keys(&via_proxy, &table).await.len(), 25);
    assert_eq!(scan_keys(&direct, &table).await.len(), 25);
    let stats = proxy.stats();
    println!("{stats}");
    assert_eq!(stats.faults(), 0);
    assert_eq!(stats.upstream_failures, 0);
    assert_eq!(stats.forwarded, stats.requests);
    assert_eq!(
        stats.eligible, 8,
        "CreateTable and DescribeTable are not eligible"
    );
}

#[tokio::test]
async fn only_the_configured_operations_are_faulted() {
    let upstream = upstream_endpoint().await;
    let config = FaultConfig {
        throttle: 1.0,
        operations: Some(vec!["GetItem".to_owned()]),
        ..FaultConfig::seeded(8)
    };
    let proxy = FaultProxy::start(&upstream, config).await.unwrap();
    let via_proxy = client(&proxy.endpoint());
    let table = unique_table("operations");
    create_table(&via_proxy, &table).await;

    via_proxy
        .put_item()
        .table_name(&table)
        .set_item(Some(item("a")))
        .send()
        .await
        .unwrap();
    let err = via_proxy
        .get_item()
        .table_name(&table)
        .set_key(Some(key("a")))
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("ProvisionedThroughputExceededException"));
    let stats = proxy.stats();
    println!("{stats}");
    assert_eq!((stats.eligible, stats.throttled), (1, 1));
}

#[tokio::test]
async fn unreachable_upstream_is_a_bad_gateway() {
    // Bind and drop a listener to get a port nobody listens on.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let proxy = FaultProxy::start(&format!("http://127.0.0.1:{port}"), FaultConfig::seeded(9))
        .await
        .unwrap();
    let err = client(&proxy.endpoint())
        .list_tables()
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        err.raw_response().map(|r| r.status().as_u16()),
        Some(502),
        "{err:?}"
    );
    assert_eq!(proxy.stats().upstream_failures, 1);
}

#[tokio::test]
async fn bad_upstream_urls_are_rejected() {
    assert!(
        FaultProxy::start("https://127.0.0.1:8000", FaultConfig::default())
            .await
            .is_err()
    );
    assert!(FaultProxy::start("127.0.0.1:8000", FaultConfig::default())
        .await
        .is_err());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_batches_with_retries_lose_nothing() {
    let upstream = upstream_endpoint().await;
    let direct = client(&upstream);
    let config = FaultConfig {
        throttle: 0.15,
        server_error: 0.15,
        partial_batch: 0.5,
        lost_response: 0.15,
        ..FaultConfig::seeded(10)
    };
    let proxy = FaultProxy::start(&upstream, config).await.unwrap();
    let via_proxy = client(&proxy.endpoint());
    let table = unique_table("concurrent");
    create_table(&direct, &table).await;

    let tasks: Vec<_> = (0..8)
        .map(|t| {
            let (client, table) = (via_proxy.clone(), table.clone());
            tokio::spawn(async move {
                let requests: Vec<WriteRequest> = (0..25)
                    .map(|i| {
                        WriteRequest::builder()
                            .put_request(
                                PutRequest::builder()
                                    .set_item(Some(item(&format!("t{t}i{i:02}"))))
                                    .build()
                                    .unwrap(),
                            )
                            .build()
                    })
                    .collect();
                let mut pending = HashMap::from([(table.clone(), requests)]);
                for _ in 0..200 {
                    let result = client
                        .batch_write_item()
                        .set_request_items(Some(pending.clone()))
                        .send()
                        .await;
                    // On an error (throttle, server error, lost response) resend everything.
                    if let Ok(out) = result {
                        match out.unprocessed_items() {
                            Some(left) if !left.is_empty() => pending = left.clone(),
                            _ => return,
                        }
                    }
                }
                panic!("batch did not complete");
            })
        })
        .collect();
    for task in tasks {
        task.await.unwrap();
    }
    assert_eq!(scan_keys(&direct, &table).await.len(), 200);
    let stats = proxy.stats();
    println!("{stats}");
    assert!(stats.faults() > 0);
    assert_eq!(stats.upstream_failures, 0);
}
