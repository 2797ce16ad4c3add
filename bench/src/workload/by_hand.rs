//! The workload written by hand on aws-sdk-dynamodb: what a careful user
//! writes without a library, making the same requests as dynamodel (same
//! conditions, same `ReturnValues`, unprocessed batch items retried).

use std::collections::HashMap;

use aws_sdk_dynamodb::types::{
    AttributeValue, Put, PutRequest, ReturnValue, ReturnValuesOnConditionCheckFailure,
    TransactWriteItem, WriteRequest,
};
use aws_sdk_dynamodb::Client;
use futures::{stream, StreamExt, TryStreamExt};

use super::{Data, Phase, IN_FLIGHT, QUERY_MIN_AGE, TRANSACTION_SIZE};
use crate::model::{from_item, key, to_item};

/// Any failure of the hand-written workload.
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Runs `phase` over `data` on `table`; returns what it read.
pub async fn run(
    client: &Client,
    table: &str,
    phase: Phase,
    data: &Data,
) -> Result<usize, BoxError> {
    match phase {
        Phase::Create => {
            stream::iter(&data.singles)
                .map(|order| async move {
                    client
                        .put_item()
                        .table_name(table)
                        .set_item(Some(to_item(order)))
                        .condition_expression("attribute_not_exists(#k)")
                        .expression_attribute_names("#k", "pk")
                        .return_values_on_condition_check_failure(
                            ReturnValuesOnConditionCheckFailure::AllOld,
                        )
                        .send()
                        .await
                        .map(drop)
                        .map_err(BoxError::from)
                })
                .buffer_unordered(IN_FLIGHT)
                .try_collect::<Vec<()>>()
                .await?;
            Ok(0)
        }
        Phase::BatchPut | Phase::BatchPutStreamed => {
            let written: Vec<usize> = stream::iter(data.batch.chunks(25))
                .map(|chunk| async move {
                    let requests: Vec<WriteRequest> = chunk
                        .iter()
                        .map(|order| {
                            let put = PutRequest::builder()
                                .set_item(Some(to_item(order)))
                                .build()?;
                            Ok::<_, BoxError>(WriteRequest::builder().put_request(put).build())
                        })
                        .collect::<Result<_, _>>()?;
                    let mut pending = HashMap::from([(table.to_owned(), requests)]);
                    while !pending.is_empty() {
                        let output = client
                            .batch_write_item()
                            .set_request_items(Some(pending))
                            .send()
                            .await?;
                        pending = output.unprocessed_items.unwrap_or_default();
                        pending.retain(|_, requests| !requests.is_empty());
                    }
                    Ok::<_, BoxError>(chunk.len())
                })
                .buffer_unordered(IN_FLIGHT)
                .try_collect()
                .await?;
            Ok(written.iter().sum())
        }
        Phase::Get => {
            let found: Vec<bool> = stream::iter(&data.singles)
                .map(|order| async move {
                    let output = client
                        .get_item()
                        .table_name(table)
                        .set_key(Some(key(&order.pk, &order.sk)))
                        .send()
                        .await?;
                    match output.item {
                        Some(item) => from_item(&item).map(|_| true).map_err(BoxError::from),
                        None => Ok(false),
                    }
                })
                .buffer_unordered(IN_FLIGHT)
                .try_collect()
                .await?;
            Ok(found.iter().filter(|f| **f).count())
        }
        Phase::Query => {
            let mut read = 0;
            for partition in &data.partitions {
                // What dynamodel's `.all()` hands back: every decoded item.
                let mut items = Vec::new();
                let mut start = None;
                loop {
                    let output = client
                        .query()
                        .table_name(table)
                        .key_condition_expression("#h = :h")
                        .filter_expression("#a > :a")
                        .expression_attribute_names("#h", "pk")
                        .expression_attribute_names("#a", "age")
                        .expression_attribute_values(":h", AttributeValue::S(partition.clone()))
                        .expression_attribute_values(
                            ":a",
                            AttributeValue::N(QUERY_MIN_AGE.to_string()),
                        )
                        .set_exclusive_start_key(start)
                        .send()
                        .await?;
                    for item in output.items.unwrap_or_default() {
                        items.push(from_item(&item)?);
                    }
                    start = output.last_evaluated_key;
                    if start.is_none() {
                        break;
                    }
                }
                read += items.len();
            }
            Ok(read)
        }
        Phase::Update => {
            let updated: Vec<()> = stream::iter(&data.singles)
                .map(|order| async move {
                    let output = client
                        .update_item()
                        .table_name(table)
                        .set_key(Some(key(&order.pk, &order.sk)))
                        .update_expression("SET #n = :n, #l = if_not_exists(#l, :z) + :o")
                        .condition_expression("attribute_exists(#k)")
                        .expression_attribute_names("#n", "name")
                        .expression_attribute_names("#l", "logins")
                        .expression_attribute_names("#k", "pk")
                        .expression_attribute_values(":n", AttributeValue::S("Renamed".into()))
                        .expression_attribute_values(":z", AttributeValue::N("0".into()))
                        .expression_attribute_values(":o", AttributeValue::N("1".into()))
                        .return_values(ReturnValue::AllNew)
                        .return_values_on_condition_check_failure(
                            ReturnValuesOnConditionCheckFailure::AllOld,
                        )
                        .send()
                        .await?;
                    from_item(&output.attributes.unwrap_or_default())?;
                    Ok::<_, BoxError>(())
                })
                .buffer_unordered(IN_FLIGHT)
                .try_collect()
                .await?;
            Ok(updated.len())
        }
        Phase::Transaction => {
            stream::iter(data.transacted.chunks(TRANSACTION_SIZE))
                .map(|chunk| async move {
                    let items: Vec<TransactWriteItem> = chunk
                        .iter()
                        .map(|order| {
                            let put = Put::builder()
                                .table_name(table)
                                .set_item(Some(to_item(order)))
                                .condition_expression("attribute_not_exists(#k)")
                                .expression_attribute_names("#k", "pk")
                                .return_values_on_condition_check_failure(
                                    ReturnValuesOnConditionCheckFailure::AllOld,
                                )
                                .build()?;
                            Ok::<_, BoxError>(TransactWriteItem::builder().put(put).build())
                        })
                        .collect::<Result<_, _>>()?;
                    client
                        .transact_write_items()
                        .set_transact_items(Some(items))
                        .send()
                        .await?;
                    Ok::<_, BoxError>(())
                })
                .buffer_unordered(IN_FLIGHT)
                .try_collect::<Vec<()>>()
                .await?;
            Ok(0)
        }
        Phase::Scan => {
            // What dynamodel's `.all()` hands back: every decoded item.
            let mut items = Vec::new();
            let mut start = None;
            loop {
                let output = client
                    .scan()
                    .table_name(table)
                    .filter_expression("#a = :t")
                    .expression_attribute_names("#a", "active")
                    .expression_attribute_values(":t", AttributeValue::Bool(true))
                    .set_exclusive_start_key(start)
                    .send()
                    .await?;
                for item in output.items.unwrap_or_default() {
                    items.push(from_item(&item)?);
                }
                start = output.last_evaluated_key;
                if start.is_none() {
                    break;
                }
            }
            Ok(items.len())
        }
        Phase::Delete => {
            let deleted: Vec<bool> = stream::iter(&data.singles)
                .map(|order| async move {
                    let output = client
                        .delete_item()
                        .table_name(table)
                        .set_key(Some(key(&order.pk, &order.sk)))
                        .return_values(ReturnValue::AllOld)
                        .send()
                        .await?;
                    match output.attributes {
                        Some(item) => from_item(&item).map(|_| true).map_err(BoxError::from),
                        None => Ok(false),
                    }
                })
                .buffer_unordered(IN_FLIGHT)
                .try_collect()
                .await?;
            Ok(deleted.iter().filter(|d| **d).count())
        }
    }
}
