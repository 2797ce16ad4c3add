//! Batch surgery on DynamoDB's JSON: splitting a `BatchWriteItem` /
//! `BatchGetItem` request into the part to forward and the part to withhold,
//! and merging the withheld part into the response's unprocessed entries, so
//! the client can send them back as they are.

use bytes::Bytes;
use serde_json::{Map, Value};

use super::rng::keep_mask;

/// The part of a batch the proxy kept back.
pub(super) struct Withheld {
    /// `UnprocessedItems` for `BatchWriteItem`, `UnprocessedKeys` for `BatchGetItem`.
    field: &'static str,
    /// Table name to the withheld write requests (an array) or, for
    /// `BatchGetItem`, to the request's `KeysAndAttributes` with the withheld `Keys`.
    tables: Map<String, Value>,
    /// Number of withheld write requests / keys.
    pub(super) count: usize,
}

/// Splits a batch request body into the part to forward and the part to report
/// unprocessed. `None` when the body is not a splittable batch (fewer than two
/// entries, or not the expected JSON shape), in which case it is forwarded whole.
pub(super) fn split_batch(
    operation: &str,
    body: &[u8],
    seed: u64,
    seq: u64,
) -> Option<(Bytes, Withheld)> {
    let is_get = match operation {
        "BatchWriteItem" => false,
        "BatchGetItem" => true,
        _ => return None,
    };
    let mut request: Value = serde_json::from_slice(body).ok()?;
    let tables = request.get_mut("RequestItems")?.as_object_mut()?;

    // The entries (write requests or keys) of each table, in request order.
    let mut lists = Vec::with_capacity(tables.len());
    for (name, value) in tables.iter() {
        let list = if is_get { value.get("Keys")? } else { value };
        lists.push((name.clone(), list.as_array()?.clone()));
    }
    let total: usize = lists.iter().map(|(_, l)| l.len()).sum();
    if total < 2 {
        return None;
    }
    let mut mask = keep_mask(seed, seq, total).into_iter();

    let mut withheld = Map::new();
    let mut count = 0;
    for (name, list) in lists {
        let (mut kept, mut held) = (Vec::new(), Vec::new());
        for entry in list {
            if mask.next().unwrap_or(true) {
                kept.push(entry);
            } else {
                held.push(entry);
            }
        }
        count += held.len();
        if !held.is_empty() {
            let held = if is_get {
                let mut keys_and_attributes = tables.get(&name)?.clone();
                keys_and_attributes
                    .as_object_mut()?
                    .insert("Keys".into(), Value::Array(held));
                keys_and_attributes
            } else {
                Value::Array(held)
            };
            withheld.insert(name.clone(), held);
        }
        if kept.is_empty() {
            tables.remove(&name);
        } else if is_get {
            tables
                .get_mut(&name)?
                .as_object_mut()?
                .insert("Keys".into(), Value::Array(kept));
        } else {
            tables.insert(name, Value::Array(kept));
        }
    }
    let field = if is_get {
        "UnprocessedKeys"
    } else {
        "UnprocessedItems"
    };
    let body = Bytes::from(serde_json::to_vec(&request).ok()?);
    Some((
        body,
        Withheld {
            field,
            tables: withheld,
            count,
        },
    ))
}

/// Adds the withheld entries to the unprocessed ones of a successful batch
/// response. `None` if the response is not a JSON object.
pub(super) fn merge_unprocessed(response: &[u8], withheld: &Withheld) -> Option<Bytes> {
    let mut response: Value = serde_json::from_slice(response).ok()?;
    let object = response.as_object_mut()?;
    let unprocessed = object
        .entry(withheld.field)
        .or_insert_with(|| Value::Object(Map::new()));
    if !unprocessed.is_object() {
        *unprocessed = Value::Object(Map::new());
    }
    let unprocessed = unprocessed.as_object_mut()?;
    for (table, held) in &withheld.tables {
        match unprocessed.get_mut(table) {
            None => {
                unprocessed.insert(table.clone(), held.clone());
            }
            Some(existing) => {
                let (target, extra) = if withheld.field == "UnprocessedKeys" {
                    (existing.get_mut("Keys"), held.get("Keys"))
                } else {
                    (Some(existing), Some(held))
                };
                match (
                    target.and_then(Value::as_array_mut),
                    extra.and_then(Value::as_array),
                ) {
                    (Some(target), Some(extra)) => target.extend(extra.iter().cloned()),
                    _ => return None,
                }
            }
        }
    }
    serde_json::to_vec(&response).ok().map(Bytes::from)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn write_split_and_merge() {
        let items: Vec<Value> = (0..10)
            .map(|i| json!({"PutRequest": {"Item": {"pk": {"S": format!("k{i}")}}}}))
            .collect();
        let body = json!({"RequestItems": {"t1": items[..6], "t2": items[6..]}, "ReturnConsumedCapacity": "NONE"});
        let (forwarded, withheld) =
            split_batch("BatchWriteItem", body.to_string().as_bytes(), 9, 4).unwrap();
        let forwarded: Value = serde_json::from_slice(&forwarded).unwrap();
        assert_eq!(forwarded["ReturnConsumedCapacity"], "NONE");
        let count = |v: &Value| {
            v.as_object()
                .unwrap()
                .values()
                .map(|l| l.as_array().unwrap().len())
                .sum::<usize>()
        };
        let sent = count(&forwarded["RequestItems"]);
        assert_eq!(sent + withheld.count, 10);
        assert!(sent >= 1 && withheld.count >= 1);

        let upstream = json!({"UnprocessedItems": {"t1": [json!({"PutRequest": {"Item": {"pk": {"S": "other"}}}})]}});
        let merged = merge_unprocessed(upstream.to_string().as_bytes(), &withheld).unwrap();
        let merged: Value = serde_json::from_slice(&merged).unwrap();
        assert_eq!(count(&merged["UnprocessedItems"]), withheld.count + 1);
    }

    #[test]
    fn get_split_keeps_request_attributes() {
        let keys: Vec<Value> = (0..8)
            .map(|i| json!({"pk": {"S": format!("k{i}")}}))
            .collect();
        let body = json!({"RequestItems": {"t": {
            "Keys": keys,
            "ProjectionExpression": "#p",
            "ExpressionAttributeNames": {"#p": "pk"},
            "ConsistentRead": true,
        }}});
        let (forwarded, withheld) =
            split_batch("BatchGetItem", body.to_string().as_bytes(), 1, 2).unwrap();
        let forwarded: Value = serde_json::from_slice(&forwarded).unwrap();
        let sent = forwarded["RequestItems"]["t"]["Keys"]
            .as_array()
            .unwrap()
            .len();
        assert_eq!(sent + withheld.count, 8);

        let merged =
            merge_unprocessed(br#"{"Responses":{"t":[]},"UnprocessedKeys":{}}"#, &withheld)
                .unwrap();
        let merged: Value = serde_json::from_slice(&merged).unwrap();
        let unprocessed = &merged["UnprocessedKeys"]["t"];
        assert_eq!(
            unprocessed["Keys"].as_array().unwrap().len(),
            withheld.count
        );
        assert_eq!(unprocessed["ProjectionExpression"], "#p");
        assert_eq!(unprocessed["ExpressionAttributeNames"]["#p"], "pk");
        assert_eq!(unprocessed["ConsistentRead"], true);
    }

    #[test]
    fn single_entry_batches_are_not_split() {
        let body = json!({"RequestItems": {"t": [{"DeleteRequest": {"Key": {"pk": {"S": "a"}}}}]}});
        assert!(split_batch("BatchWriteItem", body.to_string().as_bytes(), 1, 1).is_none());
    }
}
