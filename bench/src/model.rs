//! The benchmark's model: 12 attributes (strings, numbers, a bool, an
//! optional, a set and a map) under a partition and sort key, with the
//! conversions a careful hand-written client would write.

use std::collections::{HashMap, HashSet};

use aws_sdk_dynamodb::types::AttributeValue;
use dynamodel::{Item, Model};

/// One order of the benchmark workload.
#[derive(Model, Debug, Clone, PartialEq)]
#[dynamodel(table = "bench_orders")]
pub struct Order {
    /// Partition key.
    #[dynamodel(hash_key)]
    pub pk: String,
    /// Sort key.
    #[dynamodel(range_key)]
    pub sk: String,
    /// Contact address.
    pub email: String,
    /// Display name.
    pub name: String,
    /// Filtered on by queries.
    pub age: u32,
    /// A signed number.
    pub balance: i64,
    /// A float.
    pub score: f64,
    /// Filtered on by the scan.
    pub active: bool,
    /// Stored only when present.
    pub nickname: Option<String>,
    /// A string set.
    pub tags: HashSet<String>,
    /// A map of numbers.
    pub scores: HashMap<String, i64>,
    /// Incremented by the updates.
    pub logins: u64,
}

/// The `i`-th order of partition `pk`.
pub fn order(pk: String, i: usize) -> Order {
    Order {
        pk,
        sk: format!("{i:08}"),
        email: format!("user{i}@example.com"),
        name: format!("User number {i}"),
        age: (i % 90) as u32,
        balance: i as i64 * 7 - 1000,
        score: i as f64 / 3.0,
        active: i % 2 == 0,
        nickname: (i % 3 == 0).then(|| format!("nick{i}")),
        tags: ["alpha", "beta", "gamma"]
            .iter()
            .map(|t| (*t).to_owned())
            .collect(),
        scores: [("q1", 10), ("q2", 20), ("q3", i as i64)]
            .iter()
            .map(|(k, v)| ((*k).to_owned(), *v))
            .collect(),
        logins: i as u64,
    }
}

/// The order as an item, written by hand.
pub fn to_item(order: &Order) -> Item {
    let mut item = HashMap::with_capacity(12);
    item.insert("pk".to_owned(), AttributeValue::S(order.pk.clone()));
    item.insert("sk".to_owned(), AttributeValue::S(order.sk.clone()));
    item.insert("email".to_owned(), AttributeValue::S(order.email.clone()));
    item.insert("name".to_owned(), AttributeValue::S(order.name.clone()));
    item.insert("age".to_owned(), AttributeValue::N(order.age.to_string()));
    item.insert(
        "balance".to_owned(),
        AttributeValue::N(order.balance.to_string()),
    );
    item.insert(
        "score".to_owned(),
        AttributeValue::N(order.score.to_string()),
    );
    item.insert("active".to_owned(), AttributeValue::Bool(order.active));
    if let Some(nickname) = &order.nickname {
        item.insert("nickname".to_owned(), AttributeValue::S(nickname.clone()));
    }
    if !order.tags.is_empty() {
        item.insert(
            "tags".to_owned(),
            AttributeValue::Ss(order.tags.iter().cloned().collect()),
        );
    }
    item.insert(
        "scores".to_owned(),
        AttributeValue::M(
            order
                .scores
                .iter()
                .map(|(k, v)| (k.clone(), AttributeValue::N(v.to_string())))
                .collect(),
        ),
    );
    item.insert(
        "logins".to_owned(),
        AttributeValue::N(order.logins.to_string()),
    );
    item
}

/// The key of `pk`/`sk` as an item.
pub fn key(pk: &str, sk: &str) -> Item {
    HashMap::from([
        ("pk".to_owned(), AttributeValue::S(pk.to_owned())),
        ("sk".to_owned(), AttributeValue::S(sk.to_owned())),
    ])
}

/// Why a hand-written decode failed.
#[derive(Debug)]
pub struct DecodeError(pub &'static str);

impl std::fmt::Display for DecodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "attribute `{}` missing or of the wrong type", self.0)
    }
}

impl std::error::Error for DecodeError {}

fn s(item: &Item, name: &'static str) -> Result<String, DecodeError> {
    match item.get(name) {
        Some(AttributeValue::S(v)) => Ok(v.clone()),
        _ => Err(DecodeError(name)),
    }
}

fn n<T: std::str::FromStr>(item: &Item, name: &'static str) -> Result<T, DecodeError> {
    match item.get(name) {
        Some(AttributeValue::N(v)) => v.parse().map_err(|_| DecodeError(name)),
        _ => Err(DecodeError(name)),
    }
}

/// The order stored in `item`, read by hand.
pub fn from_item(item: &Item) -> Result<Order, DecodeError> {
    Ok(Order {
        pk: s(item, "pk")?,
        sk: s(item, "sk")?,
        email: s(item, "email")?,
        name: s(item, "name")?,
        age: n(item, "age")?,
        balance: n(item, "balance")?,
        score: n(item, "score")?,
        active: match item.get("active") {
            Some(AttributeValue::Bool(b)) => *b,
            _ => return Err(DecodeError("active")),
        },
        nickname: match item.get("nickname") {
            Some(AttributeValue::S(v)) => Some(v.clone()),
            None | Some(AttributeValue::Null(_)) => None,
            _ => return Err(DecodeError("nickname")),
        },
        tags: match item.get("tags") {
            Some(AttributeValue::Ss(v)) => v.iter().cloned().collect(),
            None => HashSet::new(),
            _ => return Err(DecodeError("tags")),
        },
        scores: match item.get("scores") {
            Some(AttributeValue::M(map)) => map
                .iter()
                .map(|(k, v)| match v {
                    AttributeValue::N(v) => v
                        .parse()
                        .map(|v| (k.clone(), v))
                        .map_err(|_| DecodeError("scores")),
                    _ => Err(DecodeError("scores")),
                })
                .collect::<Result<_, _>>()?,
            _ => return Err(DecodeError("scores")),
        },
        logins: n(item, "logins")?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hand_written_conversions_agree_with_the_derive() {
        for i in 0..6 {
            let order = order(format!("p{i}"), i);
            let derived = order.to_item().unwrap();
            assert_eq!(to_item(&order), derived);
            assert_eq!(from_item(&derived).unwrap(), order);
        }
    }
}
