//! The HTTP API end to end: the local server (`shop_service::api::local`,
//! the handler the Lambda runs) on an ephemeral port, DynamoDB Local behind
//! it, and real HTTP requests through a hyper client.
//!
//! Throttling (503 with `Retry-After`) cannot be caused on DynamoDB Local:
//! its mapping is pinned by the unit tests of `api::error`.

use std::collections::HashSet;
use std::net::SocketAddr;

use dynamodel::Db;
use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper::header::{HeaderMap, RETRY_AFTER};
use hyper::StatusCode;
use hyper_util::rt::TokioIo;
use serde_json::{json, Value};
use tokio::net::{TcpListener, TcpStream};

use dynamodel_examples::shop;
use dynamodel_examples::shop::models::{Order, OrderStatus};
use shop_service::api::{local, App};

/// The API served locally over a fresh, prefixed shop table.
struct Server {
    addr: SocketAddr,
    db: Db,
}

/// One response.
#[derive(Debug)]
struct Reply {
    status: StatusCode,
    headers: HeaderMap,
    text: String,
}

impl Reply {
    fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or_else(|err| panic!("{err}: {}", self.text))
    }
}

async fn server(test: &str) -> Server {
    // The API logs the cause of every 500: show it in the test's output.
    let _ = tracing_subscriber::fmt().with_test_writer().try_init();
    let db = dynamodel_tests::db(test).await;
    let def = shop::table_def().expect("the shop's models agree");
    db.create_table_from(&def).await.expect("create the table");
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(local::serve(App::new(db.clone()), listener));
    Server { addr, db }
}

impl Server {
    async fn send(&self, method: &str, path: &str, body: Option<&str>) -> Reply {
        let stream = TcpStream::connect(self.addr).await.unwrap();
        let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
            .await
            .unwrap();
        tokio::spawn(connection);
        let request = hyper::Request::builder()
            .method(method)
            .uri(path)
            .header("host", "localhost")
            .header("content-type", "application/json")
            .body(Full::new(Bytes::from(body.unwrap_or_default().to_owned())))
            .unwrap();
        let response = sender.send_request(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        Reply {
            status,
            headers,
            text: String::from_utf8(bytes.to_vec()).unwrap(),
        }
    }

    async fn get(&self, path: &str) -> Reply {
        self.send("GET", path, None).await
    }

    async fn post(&self, path: &str, body: &Value) -> Reply {
        self.send("POST", path, Some(&body.to_string())).await
    }

    async fn patch(&self, path: &str, body: &Value) -> Reply {
        self.send("PATCH", path, Some(&body.to_string())).await
    }

    async fn customer(&self, id: &str, name: &str) {
        let body = json!({"customer_id": id, "name": name, "email": format!("{id}@example.com")});
        let reply = self.post("/customers", &body).await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text);
    }

    /// Places an order of one line of `quantity` at 100 cents; its body.
    async fn order(&self, customer_id: &str, quantity: u32) -> Value {
        let body = json!({
            "ship_to": "home",
            "lines": [{"sku": "PEN", "quantity": quantity, "unit_price_cents": 100}],
        });
        let reply = self
            .post(&format!("/customers/{customer_id}/orders"), &body)
            .await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text);
        reply.json()
    }
}

/// The `(path, rule)` pairs of a validation error body.
fn fields(reply: &Reply) -> Vec<(String, String)> {
    assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{}", reply.text);
    let body = reply.json();
    assert_eq!(body["error"], "validation", "{}", reply.text);
    body["fields"]
        .as_array()
        .expect("a list of fields")
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_owned(),
                f["rule"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
    expected
        .iter()
        .map(|(p, r)| ((*p).to_owned(), (*r).to_owned()))
        .collect()
}

#[tokio::test]
async fn customers_are_created_once_and_read_back_as_the_contract_says() {
    let api = server("api_customers").await;
    let ada = json!({"customer_id": "c1", "name": "Ada", "email": "ada@example.com"});
    let created = api.post("/customers", &ada).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    assert_eq!(created.json(), ada);
    assert_eq!(
        created.headers.get("content-type").unwrap(),
        "application/json"
    );

    // Exactly the contract's fields: no key, entity or index attributes.
    let read = api.get("/customers/c1").await;
    assert_eq!(read.status, StatusCode::OK);
    assert_eq!(read.json(), ada);

    // The id is taken: 409, the first customer kept, none of it echoed.
    let again = json!({"customer_id": "c1", "name": "Someone Else", "email": "else@example.com"});
    let conflict = api.post("/customers", &again).await;
    assert_eq!(conflict.status, StatusCode::CONFLICT, "{}", conflict.text);
    assert_eq!(conflict.json()["error"], "already_exists");
    assert!(!conflict.text.contains("Ada"), "{}", conflict.text);
    assert!(!conflict.text.contains("ada@"), "{}", conflict.text);
    assert_eq!(api.get("/customers/c1").await.json(), ada);

    let missing = api.get("/customers/nobody").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_eq!(missing.json()["error"], "not_found");
}

#[tokio::test]
async fn bad_input_is_400_naming_fields_and_rules_never_values() {
    let api = server("api_bad_input").await;

    // Model validation: every broken rule with its path, no value echoed,
    // nothing written.
    let invalid = json!({"customer_id": "c2", "name": "", "email": "SECRET-not-an-email"});
    let reply = api.post("/customers", &invalid).await;
    assert_eq!(
        fields(&reply),
        pairs(&[("name", "length"), ("email", "regex")])
    );
    assert!(!reply.text.contains("SECRET"), "{}", reply.text);
    assert_eq!(api.get("/customers/c2").await.status, StatusCode::NOT_FOUND);

    // A body of the wrong shape: the field's path, not its value.
    let wrong_type = r#"{"customer_id": "c3", "name": "SECRET-name", "email": ["SECRET-email"]}"#;
    let reply = api.send("POST", "/customers", Some(wrong_type)).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(reply.json()["error"], "invalid_json");
    assert_eq!(reply.json()["path"], "email");
    assert!(!reply.text.contains("SECRET"), "{}", reply.text);

    // Not JSON at all.
    let reply = api
        .send("POST", "/customers", Some(r#"{"customer_id": "SECRET"#))
        .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(reply.json()["error"], "invalid_json");
    assert!(!reply.text.contains("SECRET"), "{}", reply.text);

    // A path id that is not an id; routes that do not exist.
    let reply = api.get("/customers/a%23b").await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(reply.json()["error"], "invalid_path");
    assert_eq!(reply.json()["path"], "customer_id");
    assert_eq!(api.get("/nowhere").await.status, StatusCode::NOT_FOUND);
    let reply = api.send("DELETE", "/customers/c1", None).await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert_eq!(reply.json()["error"], "no_route");

    // Order lines: the model's rules, at the request's paths.
    api.customer("c1", "Ada").await;
    let order = json!({
        "ship_to": "home",
        "lines": [
            {"sku": "SECRET-SKU-".repeat(10), "quantity": 1, "unit_price_cents": 100},
            {"sku": "PEN", "quantity": 0, "unit_price_cents": 100},
        ],
    });
    let reply = api.post("/customers/c1/orders", &order).await;
    assert_eq!(
        fields(&reply),
        pairs(&[("lines[0].sku", "length"), ("lines[1].quantity", "range")])
    );
    assert!(!reply.text.contains("SECRET"), "{}", reply.text);
    let empty = json!({"ship_to": "home", "lines": []});
    let reply = api.post("/customers/c1/orders", &empty).await;
    assert_eq!(fields(&reply), pairs(&[("lines", "length")]));
    // The order's own rules, checked by the transaction before sending.
    let far = json!({
        "ship_to": "SECRET-".repeat(10),
        "lines": [{"sku": "PEN", "quantity": 1, "unit_price_cents": 100}],
    });
    let reply = api.post("/customers/c1/orders", &far).await;
    assert_eq!(fields(&reply), pairs(&[("ship_to", "length")]));
    assert!(!reply.text.contains("SECRET"), "{}", reply.text);
    // Only the customer was written.
    assert_eq!(dynamodel_tests::item_count::<Order>(&api.db).await, 1);
}

#[tokio::test]
async fn an_order_is_placed_in_one_transaction_and_read_with_its_lines() {
    let api = server("api_orders").await;
    api.customer("c1", "Ada").await;
    let order = json!({
        "ship_to": "work",
        "lines": [
            {"sku": "NOTEBOOK", "quantity": 3, "unit_price_cents": 1000},
            {"sku": "PEN", "quantity": 2, "unit_price_cents": 250},
        ],
    });
    let placed = api.post("/customers/c1/orders", &order).await;
    assert_eq!(placed.status, StatusCode::CREATED, "{}", placed.text);
    let placed = placed.json();
    assert_eq!(placed["customer_id"], "c1");
    assert_eq!(placed["status"], "Pending");
    assert_eq!(placed["total_cents"], 3_500);
    assert_eq!(placed["version"], 1);
    let id = placed["order_id"].as_str().unwrap().to_owned();
    let lines = json!([
        {"line_no": 1, "sku": "NOTEBOOK", "quantity": 3, "unit_price_cents": 1000},
        {"line_no": 2, "sku": "PEN", "quantity": 2, "unit_price_cents": 250},
    ]);
    assert_eq!(placed["lines"], lines);

    // One collection query by the order's id: the order and its lines,
    // exactly the contract's fields.
    let read = api.get(&format!("/orders/{id}")).await;
    assert_eq!(read.status, StatusCode::OK, "{}", read.text);
    let read = read.json();
    assert_eq!(read, placed);
    let mut keys: Vec<&str> = read
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "customer_id",
            "lines",
            "order_id",
            "placed_at",
            "ship_to",
            "status",
            "total_cents",
            "version"
        ]
    );

    // No such customer: 404, and the transaction wrote nothing.
    let before = dynamodel_tests::item_count::<Order>(&api.db).await;
    assert_eq!(before, 4, "the customer, the order and two lines");
    let reply = api.post("/customers/nobody/orders", &order).await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND, "{}", reply.text);
    assert_eq!(reply.json()["error"], "not_found");
    assert_eq!(dynamodel_tests::item_count::<Order>(&api.db).await, before);

    assert_eq!(
        api.get("/orders/no-such-order").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn orders_page_newest_first_with_cursors_bound_to_the_listing() {
    let api = server("api_pages").await;
    api.customer("c1", "Ada").await;
    api.customer("c2", "Grace").await;
    let mut placed = Vec::new();
    for quantity in 1..=7 {
        let order = api.order("c1", quantity).await;
        placed.push(order["order_id"].as_str().unwrap().to_owned());
    }
    api.order("c2", 1).await;

    let mut seen = Vec::new();
    let mut pages = 0;
    let mut cursor: Option<String> = None;
    let mut first_cursor = None;
    loop {
        let path = match &cursor {
            Some(cursor) => format!("/customers/c1/orders?limit=3&cursor={cursor}"),
            None => "/customers/c1/orders?limit=3".to_owned(),
        };
        let reply = api.get(&path).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
        let body = reply.json();
        let orders = body["orders"].as_array().unwrap();
        assert!(orders.len() <= 3);
        seen.extend(
            orders
                .iter()
                .map(|o| o["order_id"].as_str().unwrap().to_owned()),
        );
        pages += 1;
        cursor = body["next_cursor"].as_str().map(str::to_owned);
        first_cursor = first_cursor.or(cursor.clone());
        if cursor.is_none() {
            break;
        }
        assert!(pages < 10, "the pages do not end");
    }
    assert!(pages >= 3, "{pages} pages");
    // Every order of c1 exactly once, newest first; none of c2's.
    placed.reverse();
    assert_eq!(seen, placed);
    assert_eq!(seen.iter().collect::<HashSet<_>>().len(), 7);

    let cursor = first_cursor.expect("a second page");
    // An altered cursor is refused.
    let mut bytes = cursor.clone().into_bytes();
    let middle = bytes.len() / 2;
    bytes[middle] = if bytes[middle] == b'A' { b'B' } else { b'A' };
    let altered = String::from_utf8(bytes).unwrap();
    let reply = api
        .get(&format!("/customers/c1/orders?limit=3&cursor={altered}"))
        .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{}", reply.text);
    assert_eq!(reply.json()["error"], "invalid_cursor");
    // So is one issued for another customer's listing.
    let reply = api
        .get(&format!("/customers/c2/orders?limit=3&cursor={cursor}"))
        .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{}", reply.text);
    assert_eq!(reply.json()["error"], "invalid_cursor");
    // And garbage.
    let reply = api.get("/customers/c1/orders?cursor=not-a-cursor").await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);

    let reply = api.get("/customers/c1/orders?limit=0").await;
    assert_eq!(fields(&reply), pairs(&[("limit", "range")]));
}

#[tokio::test]
async fn status_changes_need_the_current_version_and_one_concurrent_writer_wins() {
    let api = server("api_status").await;
    api.customer("c1", "Ada").await;
    let id = api.order("c1", 2).await["order_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let path = format!("/orders/{id}");

    let paid = api
        .patch(&path, &json!({"status": "Paid", "version": 1}))
        .await;
    assert_eq!(paid.status, StatusCode::OK, "{}", paid.text);
    assert_eq!(paid.json()["status"], "Paid");
    assert_eq!(paid.json()["version"], 2);
    assert_eq!(paid.json()["total_cents"], 200);

    // A stale version: 409, nothing changed.
    let stale = api
        .patch(&path, &json!({"status": "Shipped", "version": 1}))
        .await;
    assert_eq!(stale.status, StatusCode::CONFLICT, "{}", stale.text);
    assert_eq!(stale.json()["error"], "version_conflict");
    let read = api.get(&path).await.json();
    assert_eq!(
        (read["status"].clone(), read["version"].clone()),
        (json!("Paid"), json!(2))
    );

    // Two writers read version 2; exactly one wins.
    let shipped = json!({"status": "Shipped", "version": 2});
    let pending = json!({"status": "Pending", "version": 2});
    let (a, b) = tokio::join!(api.patch(&path, &shipped), api.patch(&path, &pending));
    let mut statuses = [a.status, b.status];
    statuses.sort();
    assert_eq!(
        statuses,
        [StatusCode::OK, StatusCode::CONFLICT],
        "{a:?} {b:?}"
    );
    let winner = if a.status == StatusCode::OK { &a } else { &b };
    let read = api.get(&path).await.json();
    assert_eq!(read["status"], winner.json()["status"]);
    assert_eq!(read["version"], 3);

    // The status index follows the change (the update rewrote `gsi1pk`).
    let status = if read["status"] == "Shipped" {
        OrderStatus::Shipped
    } else {
        OrderStatus::Pending
    };
    let by_status = shop::patterns::orders_by_status_since(
        &api.db,
        status,
        chrono::DateTime::<chrono::Utc>::UNIX_EPOCH,
    )
    .await
    .expect("query gsi1");
    assert_eq!(by_status.len(), 1);
    assert_eq!(by_status[0].order_id, id);

    let reply = api
        .patch(
            "/orders/no-such-order",
            &json!({"status": "Paid", "version": 1}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    let reply = api
        .patch(&path, &json!({"status": "Lost", "version": 3}))
        .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(reply.json()["path"], "status");
    assert!(reply.headers.get(RETRY_AFTER).is_none());
}
