//! The fault-injection proxy against DynamoDB Local.

use std::collections::{BTreeSet, HashMap};

use aws_sdk_dynamodb::config::retry::RetryConfig;
use aws_sdk_dynamodb::error::ProvideErrorMetadata;
use aws_sdk_dynamodb::operation::get_item::builders::GetItemFluentBuilder;
use aws_sdk_dynamodb::operation::put_item::builders::PutItemFluentBuilder;
use aws_sdk_dynamodb::types::{AttributeValue, KeysAndAttributes, PutRequest, WriteRequest};
use aws_sdk_dynamodb::Client;
use dynamodel_tests::fault::{
    FaultConfig, FaultProxy, FaultStats, LostResponseMode, Rejection, ThrottleError,
};
use dynamodel_tests::fault_proxy;
use dynamodel_tests::raw::{
    client_with_retries, create_table_with_string_key, local_endpoint, scan_all, unique_table_name,
};

/// A client without SDK retries, so injected faults are observable.
fn client(endpoint: &str) -> Client {
    client_with_retries(endpoint, RetryConfig::disabled())
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

/// A put request of [`item`] for each key.
fn put_requests<K: AsRef<str>>(pks: impl IntoIterator<Item = K>) -> Vec<WriteRequest> {
    pks.into_iter()
        .map(|pk| {
            WriteRequest::builder()
                .put_request(
                    PutRequest::builder()
                        .set_item(Some(item(pk.as_ref())))
                        .build()
                        .unwrap(),
                )
                .build()
        })
        .collect()
}

/// One scenario's world: a proxy with the scenario's faults in front of
/// DynamoDB Local, a client through it and one around it, and a fresh table
/// with string hash key `pk`.
struct Setup {
    proxy: FaultProxy,
    via_proxy: Client,
    direct: Client,
    table: String,
}

impl Setup {
    /// Starts the proxy with `config` and creates the table through it:
    /// control-plane requests are never faulted.
    async fn start(name: &str, config: FaultConfig) -> Setup {
        let proxy = fault_proxy(config).await;
        let via_proxy = client(&proxy.endpoint());
        let direct = client(&local_endpoint().await);
        let table = unique_table_name(&format!("fault-{name}"));
        create_table_with_string_key(&via_proxy, &table, "pk").await;
        Setup {
            proxy,
            via_proxy,
            direct,
            table,
        }
    }

    /// Creates one more table, directly.
    async fn another_table(&self, name: &str) -> String {
        let table = unique_table_name(&format!("fault-{name}"));
        create_table_with_string_key(&self.direct, &table, "pk").await;
        table
    }

    /// A PutItem of [`item`]`(pk)` through the proxy.
    fn put(&self, pk: &str) -> PutItemFluentBuilder {
        self.via_proxy
            .put_item()
            .table_name(&self.table)
            .set_item(Some(item(pk)))
    }

    /// A GetItem of `pk` through the proxy.
    fn get(&self, pk: &str) -> GetItemFluentBuilder {
        self.via_proxy
            .get_item()
            .table_name(&self.table)
            .set_key(Some(key(pk)))
    }

    /// All `pk`s stored in `table`, read directly from upstream.
    async fn stored_keys_of(&self, table: &str) -> BTreeSet<String> {
        scan_all(&self.direct, table)
            .await
            .iter()
            .map(pk_of)
            .collect()
    }

    /// All `pk`s stored in the scenario's table, read directly from upstream.
    async fn stored_keys(&self) -> BTreeSet<String> {
        self.stored_keys_of(&self.table).await
    }

    /// The proxy's counters, printed for `--nocapture` runs.
    fn stats(&self) -> FaultStats {
        let stats = self.proxy.stats();
        println!("{stats}");
        stats
    }
}

#[tokio::test]
async fn throttle_rejects_without_forwarding() {
    let config = FaultConfig {
        throttle: 1.0,
        ..FaultConfig::seeded(1)
    };
    let setup = Setup::start("throttle", config.clone()).await;

    let err = setup.put("a").send().await.expect_err("throttled");
    assert_eq!(
        err.code(),
        Some("ProvisionedThroughputExceededException"),
        "{err:?}"
    );
    assert!(err
        .as_service_error()
        .unwrap()
        .is_provisioned_throughput_exceeded_exception());

    setup.proxy.set_config(FaultConfig {
        throttle_error: ThrottleError::Throttling,
        ..config.clone()
    });
    let err = setup.get("a").send().await.unwrap_err();
    assert_eq!(err.code(), Some("ThrottlingException"), "{err:?}");
    setup.proxy.set_config(FaultConfig {
        throttle_error: ThrottleError::RequestLimitExceeded,
        ..config
    });
    let err = setup.get("a").send().await.unwrap_err();
    assert_eq!(err.code(), Some("RequestLimitExceeded"), "{err:?}");

    assert!(
        setup.stored_keys().await.is_empty(),
        "a throttled write must not happen"
    );
    let stats = setup.stats();
    assert_eq!((stats.eligible, stats.throttled, stats.faults()), (3, 3, 3));
    assert_eq!(
        stats.forwarded,
        stats.requests - 3,
        "only CreateTable is forwarded"
    );

    // Rates can change at runtime.
    setup.proxy.faults_off();
    setup.put("b").send().await.unwrap();
    assert_eq!(setup.stored_keys().await, BTreeSet::from(["b".to_owned()]));
}

#[tokio::test]
async fn server_error_rejects_without_forwarding() {
    let config = FaultConfig {
        server_error: 1.0,
        ..FaultConfig::seeded(2)
    };
    let setup = Setup::start("server_error", config).await;

    let err = setup.put("a").send().await.expect_err("server error");
    assert_eq!(err.code(), Some("InternalServerError"), "{err:?}");
    assert_eq!(err.raw_response().map(|r| r.status().as_u16()), Some(500));
    assert!(setup.stored_keys().await.is_empty());
    let stats = setup.stats();
    assert_eq!(
        (stats.eligible, stats.server_errors, stats.faults()),
        (1, 1, 1)
    );
}

#[tokio::test]
async fn partial_batch_write_forwards_exactly_the_processed_items() {
    let config = FaultConfig {
        partial_batch: 1.0,
        ..FaultConfig::seeded(3)
    };
    let setup = Setup::start("partial_write", config).await;
    let table = &setup.table;

    let all: BTreeSet<String> = (0..25).map(|i| format!("item{i:02}")).collect();
    let output = setup
        .via_proxy
        .batch_write_item()
        .request_items(table, put_requests(&all))
        .send()
        .await
        .expect("partial batch is a success");

    let unprocessed: BTreeSet<String> = output
        .unprocessed_items()
        .and_then(|u| u.get(table))
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
    let first = &output.unprocessed_items().unwrap()[table][0];
    assert!(first.put_request().unwrap().item().contains_key("payload"));

    let expected: BTreeSet<String> = all.difference(&unprocessed).cloned().collect();
    assert_eq!(
        setup.stored_keys().await,
        expected,
        "exactly the processed items are stored"
    );

    let stats = setup.stats();
    assert_eq!(stats.partial_batches, 1);
    assert_eq!(stats.withheld, unprocessed.len() as u64);

    // Resending the unprocessed items (here: faults off) completes the batch.
    setup.proxy.faults_off();
    let retry = setup
        .via_proxy
        .batch_write_item()
        .set_request_items(output.unprocessed_items().cloned())
        .send()
        .await
        .unwrap();
    assert!(retry.unprocessed_items().iter().all(|u| u.is_empty()));
    assert_eq!(setup.stored_keys().await, all);
}

#[tokio::test]
async fn partial_batch_get_reports_unprocessed_keys_with_request_attributes() {
    let config = FaultConfig {
        partial_batch: 1.0,
        ..FaultConfig::seeded(4)
    };
    let setup = Setup::start("partial_get1", config).await;
    let (t1, t2) = (
        setup.table.clone(),
        setup.another_table("partial_get2").await,
    );
    let wanted: BTreeSet<String> = (0..20).map(|i| format!("k{i:02}")).collect();
    for table in [&t1, &t2] {
        setup
            .direct
            .batch_write_item()
            .request_items(table, put_requests(&wanted))
            .send()
            .await
            .unwrap();
    }
    assert_eq!(setup.stored_keys_of(&t1).await, wanted);
    assert_eq!(setup.stored_keys_of(&t2).await, wanted);

    let keys_and_attributes = || {
        KeysAndAttributes::builder()
            .set_keys(Some(wanted.iter().map(|k| key(k)).collect()))
            .projection_expression("#k, #p")
            .expression_attribute_names("#k", "pk")
            .expression_attribute_names("#p", "payload")
            .consistent_read(true)
            .build()
            .unwrap()
    };
    let output = setup
        .via_proxy
        .batch_get_item()
        .request_items(&t1, keys_and_attributes())
        .request_items(&t2, keys_and_attributes())
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
    let stats = setup.stats();
    assert_eq!(
        (stats.partial_batches, stats.withheld),
        (1, total_unprocessed as u64)
    );

    // The unprocessed keys can be sent back as they are.
    setup.proxy.faults_off();
    let retry = setup
        .via_proxy
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
    let config = FaultConfig {
        lost_response: 1.0,
        ..FaultConfig::seeded(5)
    };
    let setup = Setup::start("lost", config).await;

    let err = setup.put("a").send().await.expect_err("response lost");
    assert_eq!(err.code(), Some("InternalServerError"), "{err:?}");
    assert_eq!(setup.stored_keys().await, BTreeSet::from(["a".to_owned()]));
    let stats = setup.stats();
    assert_eq!((stats.lost_responses, stats.faults()), (1, 1));
    assert_eq!(stats.forwarded, stats.requests);
}

#[tokio::test]
async fn lost_response_by_dropped_connection_still_writes() {
    let config = FaultConfig {
        lost_response: 1.0,
        lost_response_mode: LostResponseMode::DropConnection,
        ..FaultConfig::seeded(6)
    };
    let setup = Setup::start("dropped", config).await;

    for pk in ["a", "b"] {
        let err = setup.put(pk).send().await.expect_err("connection dropped");
        assert!(
            err.as_service_error().is_none(),
            "an I/O failure, not a service error: {err:?}"
        );
    }
    assert_eq!(
        setup.stored_keys().await,
        BTreeSet::from(["a".to_owned(), "b".to_owned()])
    );
    // The proxy keeps serving on new connections.
    setup.proxy.faults_off();
    setup.put("c").send().await.unwrap();
    assert_eq!(setup.stats().lost_responses, 2);
}

/// What a client observed for one request.
#[derive(Debug, PartialEq, Eq)]
enum Outcome {
    Ok,
    Error(String),
}

/// The outcomes of `n` puts through a fresh proxy with `config`.
async fn run_sequence(config: FaultConfig, n: u64) -> Vec<Outcome> {
    let setup = Setup::start("sequence", config).await;
    let mut outcomes = Vec::new();
    for i in 0..n {
        outcomes.push(match setup.put(&format!("k{i}")).send().await {
            Ok(_) => Outcome::Ok,
            Err(e) => Outcome::Error(e.code().unwrap_or("?").to_owned()),
        });
    }
    setup.stats();
    outcomes
}

#[tokio::test]
async fn same_seed_replays_the_same_fault_sequence() {
    let config = FaultConfig {
        throttle: 0.25,
        server_error: 0.2,
        lost_response: 0.2,
        throttle_error: ThrottleError::Throttling,
        ..FaultConfig::seeded(42)
    };
    let first = run_sequence(config.clone(), 40).await;
    let second = run_sequence(config.clone(), 40).await;
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

    let other = run_sequence(FaultConfig { seed: 43, ..config }, 40).await;
    assert_ne!(first, other, "another seed gives another sequence");
}

#[tokio::test]
async fn zero_rates_are_transparent() {
    let setup = Setup::start("transparent", FaultConfig::seeded(7)).await;
    let (via_proxy, table) = (&setup.via_proxy, &setup.table);

    setup.put("a").send().await.unwrap();
    let got = setup.get("a").consistent_read(true).send().await.unwrap();
    assert_eq!(got.item(), Some(&item("a")));
    via_proxy
        .update_item()
        .table_name(table)
        .set_key(Some(key("a")))
        .update_expression("SET payload = :v")
        .expression_attribute_values(":v", AttributeValue::S("updated".into()))
        .send()
        .await
        .unwrap();
    let queried = via_proxy
        .query()
        .table_name(table)
        .key_condition_expression("pk = :pk")
        .expression_attribute_values(":pk", AttributeValue::S("a".into()))
        .send()
        .await
        .unwrap();
    assert_eq!(queried.items()[0]["payload"].as_s().unwrap(), "updated");

    let batch: Vec<String> = (0..25).map(|i| format!("b{i:02}")).collect();
    let written = via_proxy
        .batch_write_item()
        .request_items(table, put_requests(&batch))
        .send()
        .await
        .unwrap();
    assert!(written.unprocessed_items().iter().all(|u| u.is_empty()));
    let keys = KeysAndAttributes::builder()
        .set_keys(Some(batch.iter().map(|pk| key(pk)).collect()))
        .build()
        .unwrap();
    let read = via_proxy
        .batch_get_item()
        .request_items(table, keys)
        .send()
        .await
        .unwrap();
    assert_eq!(read.responses().unwrap()[table].len(), 25);
    via_proxy
        .delete_item()
        .table_name(table)
        .set_key(Some(key("a")))
        .send()
        .await
        .unwrap();
    via_proxy
        .describe_table()
        .table_name(table)
        .send()
        .await
        .unwrap();

    assert_eq!(scan_all(via_proxy, table).await.len(), 25);
    assert_eq!(setup.stored_keys().await.len(), 25);
    let stats = setup.stats();
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
    let config = FaultConfig {
        throttle: 1.0,
        operations: Some(vec!["GetItem".to_owned()]),
        ..FaultConfig::seeded(8)
    };
    let setup = Setup::start("operations", config).await;

    setup.put("a").send().await.unwrap();
    let err = setup.get("a").send().await.unwrap_err();
    assert_eq!(err.code(), Some("ProvisionedThroughputExceededException"));
    let stats = setup.stats();
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
    let config = FaultConfig {
        throttle: 0.15,
        server_error: 0.15,
        partial_batch: 0.5,
        lost_response: 0.15,
        ..FaultConfig::seeded(10)
    };
    let setup = Setup::start("concurrent", config).await;

    let tasks: Vec<_> = (0..8)
        .map(|t| {
            let (client, table) = (setup.via_proxy.clone(), setup.table.clone());
            tokio::spawn(async move {
                let requests = put_requests((0..25).map(|i| format!("t{t}i{i:02}")));
                let mut pending = HashMap::from([(table, requests)]);
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
    assert_eq!(setup.stored_keys().await.len(), 200);
    let stats = setup.stats();
    assert!(stats.faults() > 0);
    assert_eq!(stats.upstream_failures, 0);
}
