//! A probe for callgrind: a single-table item's write (fields, composed
//! table and index keys, entity attributes: a put's request, built without
//! sending) and its key map (`key_to_item`, and a get's request), per item.
//! Only public API: the same file measures a build of the library before a
//! change and after it.
//!
//! ```text
//! cargo build --release -p dynamodel-bench --example keyed_item
//! valgrind --tool=callgrind --collect-atstart=no --toggle-collect='*measured_phase*' \
//!     target/release/examples/keyed_item keyed 1000
//! ```
//!
//! Phases: `put` (`db.put(..).to_request()`), `key` (`key_to_item`), `get`
//! (`db.get(..).to_request()`).

use std::hint::black_box;

use dynamodel::{Db, Model};

/// A single-table order: composed table keys, a dense and a sparse index
/// template, an entity with a schema version; 8 fields, 14 attributes.
#[derive(Model, Debug, Clone, PartialEq)]
#[dynamodel(
    table = "bench_single",
    pk = "CUSTOMER#{customer_id}",
    sk = "ORDER#{order_id}",
    gsi(name = "gsi1", pk = "STATUS#{status}", sk = "{status}#{order_id}"),
    gsi(name = "gsi2", pk(name = "coupon_key", template = "COUPON#{coupon}")),
    entity(name = "order", version = 2)
)]
pub struct SingleOrder {
    /// Composes the partition key.
    pub customer_id: String,
    /// Composes the sort key and `gsi1`'s.
    pub order_id: String,
    /// Composes `gsi1`'s keys.
    pub status: String,
    /// Composes `gsi2`'s key, when present.
    pub coupon: Option<String>,
    /// A number.
    pub total: i64,
    /// Contact address.
    pub email: String,
    /// Stored only when present.
    pub note: Option<String>,
    /// A flag.
    pub gift: bool,
}

fn order(i: usize) -> SingleOrder {
    SingleOrder {
        customer_id: format!("c{}", i % 50),
        order_id: format!("{i:08}"),
        status: ["NEW", "PAID", "SHIPPED"][i % 3].to_owned(),
        coupon: (i % 2 == 0).then(|| format!("WELCOME{}", i % 7)),
        total: i as i64 * 13,
        email: format!("user{i}@example.com"),
        note: (i % 3 == 0).then(|| format!("note {i}")),
        gift: i % 5 == 0,
    }
}

#[inline(never)]
fn measured_phase(run: impl FnOnce()) {
    run()
}

fn main() {
    let mut args = std::env::args().skip(1);
    let phase = args.next().unwrap_or_else(|| "put".to_owned());
    let count: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(1000);
    let orders: Vec<SingleOrder> = (0..count).map(order).collect();
    let keys: Vec<_> = orders.iter().map(Model::key).collect();
    let db = Db::new(dynamodel_bench::null_http::sdk_client());
    // Once-per-model work (templates, schema) before measuring.
    black_box(db.put(&orders[0]).to_request().expect("converts"));
    black_box(
        db.get::<SingleOrder>(keys[0].clone())
            .to_request()
            .expect("key"),
    );
    match phase.as_str() {
        "put" => measured_phase(|| {
            for order in &orders {
                black_box(db.put(black_box(order)).to_request().expect("converts"));
            }
        }),
        "key" => measured_phase(|| {
            for key in &keys {
                black_box(SingleOrder::key_to_item(black_box(key)).expect("key"));
            }
        }),
        "get" => measured_phase(|| {
            for key in &keys {
                let get = db.get::<SingleOrder>(black_box(key.clone()));
                black_box(get.to_request().expect("key"));
            }
        }),
        other => eprintln!("unknown phase {other}"),
    }
    println!("{count} units");
}
