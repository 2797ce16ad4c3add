//! Conversion speed of a realistic 12-field model (a set, a map, a nested
//! struct): dynamodel's derive vs serde_dynamo vs hand-written code.
//!
//! `cargo bench -p dynamodel --bench conversion`

use std::collections::{HashMap, HashSet};
use std::hint::black_box;
use std::time::Duration;

use aws_sdk_dynamodb::types::AttributeValue;
use criterion::{criterion_group, criterion_main, Criterion};
use dynamodel::pipeline::WriteKind;
use dynamodel::{Document, Item, Model};
use serde::{Deserialize, Serialize};

#[derive(Document, Serialize, Deserialize, Debug, Clone, PartialEq)]
struct Address {
    street: String,
    city: String,
    zip: u32,
}

#[derive(Model, Serialize, Deserialize, Debug, Clone, PartialEq)]
#[dynamodel(table = "users")]
struct User {
    #[dynamodel(hash_key)]
    id: String,
    email: String,
    name: String,
    age: u32,
    balance: i64,
    score: f64,
    active: bool,
    nickname: Option<String>,
    tags: HashSet<String>,
    scores: HashMap<String, i64>,
    address: Address,
    logins: u64,
}

fn user() -> User {
    User {
        id: "user-0001".into(),
        email: "ada@example.com".into(),
        name: "Ada Lovelace".into(),
        age: 36,
        balance: -1234,
        score: 98.5,
        active: true,
        nickname: Some("ada".into()),
        tags: ["admin", "beta", "math"]
            .iter()
            .map(|s| s.to_string())
            .collect(),
        scores: [("q1", 10), ("q2", 20), ("q3", 30)]
            .iter()
            .map(|(k, v)| (k.to_string(), *v))
            .collect(),
        address: Address {
            street: "12 St James's Square".into(),
            city: "London".into(),
            zip: 10001,
        },
        logins: 4242,
    }
}

fn hand_to_item(u: &User) -> Item {
    let mut item = HashMap::with_capacity(12);
    item.insert("id".to_owned(), AttributeValue::S(u.id.clone()));
    item.insert("email".to_owned(), AttributeValue::S(u.email.clone()));
    item.insert("name".to_owned(), AttributeValue::S(u.name.clone()));
    item.insert("age".to_owned(), AttributeValue::N(u.age.to_string()));
    item.insert(
        "balance".to_owned(),
        AttributeValue::N(u.balance.to_string()),
    );
    item.insert("score".to_owned(), AttributeValue::N(u.score.to_string()));
    item.insert("active".to_owned(), AttributeValue::Bool(u.active));
    if let Some(nickname) = &u.nickname {
        item.insert("nickname".to_owned(), AttributeValue::S(nickname.clone()));
    }
    if !u.tags.is_empty() {
        item.insert(
            "tags".to_owned(),
            AttributeValue::Ss(u.tags.iter().cloned().collect()),
        );
    }
    item.insert(
        "scores".to_owned(),
        AttributeValue::M(
            u.scores
                .iter()
                .map(|(k, v)| (k.clone(), AttributeValue::N(v.to_string())))
                .collect(),
        ),
    );
    let mut address = HashMap::with_capacity(3);
    address.insert(
        "street".to_owned(),
        AttributeValue::S(u.address.street.clone()),
    );
    address.insert("city".to_owned(), AttributeValue::S(u.address.city.clone()));
    address.insert(
        "zip".to_owned(),
        AttributeValue::N(u.address.zip.to_string()),
    );
    item.insert("address".to_owned(), AttributeValue::M(address));
    item.insert("logins".to_owned(), AttributeValue::N(u.logins.to_string()));
    item
}

fn s(item: &mut Item, name: &str) -> Option<String> {
    match item.remove(name)? {
        AttributeValue::S(s) => Some(s),
        _ => None,
    }
}

fn num<T: std::str::FromStr>(item: &mut Item, name: &str) -> Option<T> {
    match item.remove(name)? {
        AttributeValue::N(n) => n.parse().ok(),
        _ => None,
    }
}

fn hand_from_item(mut item: Item) -> Option<User> {
    let mut address = match item.remove("address")? {
        AttributeValue::M(m) => m,
        _ => return None,
    };
    Some(User {
        id: s(&mut item, "id")?,
        email: s(&mut item, "email")?,
        name: s(&mut item, "name")?,
        age: num(&mut item, "age")?,
        balance: num(&mut item, "balance")?,
        score: num(&mut item, "score")?,
        active: match item.remove("active")? {
            AttributeValue::Bool(b) => b,
            _ => return None,
        },
        nickname: s(&mut item, "nickname"),
        tags: match item.remove("tags") {
            Some(AttributeValue::Ss(v)) => v.into_iter().collect(),
            None => HashSet::new(),
            _ => return None,
        },
        scores: match item.remove("scores")? {
            AttributeValue::M(m) => m
                .into_iter()
                .map(|(k, v)| match v {
                    AttributeValue::N(n) => n.parse().ok().map(|n| (k, n)),
                    _ => None,
                })
                .collect::<Option<_>>()?,
            _ => return None,
        },
        address: Address {
            street: s(&mut address, "street")?,
            city: s(&mut address, "city")?,
            zip: num(&mut address, "zip")?,
        },
        logins: num(&mut item, "logins")?,
    })
}

fn conversion(c: &mut Criterion) {
    let u = user();
    let item = u.to_item().unwrap_or_default();
    // All three read the same stored shape (serde_dynamo would write tags as a
    // list; here it reads the set dynamodel writes).
    assert_eq!(hand_to_item(&u), item);
    assert_eq!(User::from_item(item.clone()).ok(), Some(u.clone()));
    assert_eq!(hand_from_item(item.clone()), Some(u.clone()));
    assert_eq!(
        serde_dynamo::from_item::<_, User>(item.clone()).ok(),
        Some(u.clone())
    );

    let mut to = c.benchmark_group("to_item");
    to.bench_function("dynamodel", |b| b.iter(|| black_box(&u).to_item()));
    // What a put really runs: the write pipeline (validation, nested
    // documents' rules) plus the key and 400 KB checks, then to_item.
    to.bench_function("dynamodel_prepare_write", |b| {
        b.iter(|| dynamodel::pipeline::PreparedWrite::new(black_box(&u), WriteKind::Put))
    });
    to.bench_function("serde_dynamo", |b| {
        b.iter(|| serde_dynamo::to_item::<_, Item>(black_box(&u)))
    });
    to.bench_function("hand_written", |b| b.iter(|| hand_to_item(black_box(&u))));
    to.finish();

    // The validation every write runs: here no rules, only the walk into
    // the nested document and the map (which must cost next to nothing).
    let mut validate = c.benchmark_group("validate");
    validate.bench_function("dynamodel", |b| b.iter(|| black_box(&u).validate()));
    validate.finish();

    let mut from = c.benchmark_group("from_item");
    from.bench_function("dynamodel", |b| {
        b.iter_batched(
            || item.clone(),
            |item| User::from_item(black_box(item)),
            criterion::BatchSize::SmallInput,
        )
    });
    from.bench_function("serde_dynamo", |b| {
        b.iter_batched(
            || item.clone(),
            |item| serde_dynamo::from_item::<_, User>(black_box(item)),
            criterion::BatchSize::SmallInput,
        )
    });
    from.bench_function("hand_written", |b| {
        b.iter_batched(
            || item.clone(),
            |item| hand_from_item(black_box(item)),
            criterion::BatchSize::SmallInput,
        )
    });
    from.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .sample_size(50);
    targets = conversion
}
criterion_main!(benches);
