//! DynamoDB Streams on DynamoDB Local, through the raw SDKs: turning a
//! table's stream on (until table definitions can), reading every record of
//! a stream, and the Lambda event Lambda would deliver for those records.

use std::time::Duration;

use aws_lambda_events::dynamodb::Event;
use aws_sdk_dynamodb::types::{StreamSpecification, StreamViewType};
use aws_sdk_dynamodbstreams::types::{Record, ShardIteratorType};
use dynamodel::{Db, Model};

/// Turns on the stream of `M`'s table with `view`, returning the stream's ARN.
pub async fn enable_stream<M: Model>(db: &Db, view: StreamViewType) -> String {
    let spec = StreamSpecification::builder()
        .stream_enabled(true)
        .stream_view_type(view)
        .build()
        .expect("stream specification builds");
    let table = db.table_name::<M>();
    let output = db
        .client()
        .update_table()
        .table_name(&table)
        .stream_specification(spec)
        .send()
        .await
        .expect("UpdateTable turns the stream on");
    output
        .table_description
        .and_then(|table| table.latest_stream_arn)
        .expect("the table has a stream")
}

/// Reads the records of every shard of `stream_arn` from the start, polling
/// until at least `expected` records came (or 10 s passed: the caller's
/// assertions then say what is missing).
pub async fn read_stream(stream_arn: &str, expected: usize) -> Vec<Record> {
    let client = dynamodel::local::streams_client()
        .await
        .expect("DynamoDB Local is available");
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        let mut records = Vec::new();
        let stream = client
            .describe_stream()
            .stream_arn(stream_arn)
            .send()
            .await
            .expect("DescribeStream succeeds")
            .stream_description
            .expect("the stream is described");
        for shard in stream.shards() {
            let mut iterator = client
                .get_shard_iterator()
                .stream_arn(stream_arn)
                .shard_id(shard.shard_id().expect("shards have ids"))
                .shard_iterator_type(ShardIteratorType::TrimHorizon)
                .send()
                .await
                .expect("GetShardIterator succeeds")
                .shard_iterator;
            while let Some(current) = iterator {
                let page = client
                    .get_records()
                    .shard_iterator(current)
                    .send()
                    .await
                    .expect("GetRecords succeeds");
                if page.records().is_empty() {
                    break;
                }
                records.extend(page.records().iter().cloned());
                iterator = page.next_shard_iterator;
            }
        }
        if records.len() >= expected || tokio::time::Instant::now() > deadline {
            return records;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The Lambda event Lambda delivers for `records` (a DynamoDB Streams
/// trigger): the same fields in Lambda's JSON, images in DynamoDB JSON,
/// absent images left out, the time in epoch seconds; parsed by
/// `aws_lambda_events` as a handler receives it.
pub fn lambda_event(stream_arn: &str, records: &[Record]) -> Event {
    let records: Vec<serde_json::Value> = records
        .iter()
        .map(|record| lambda_record(stream_arn, record))
        .collect();
    serde_json::from_value(serde_json::json!({ "Records": records }))
        .expect("aws_lambda_events parses the event")
}

fn lambda_record(stream_arn: &str, record: &Record) -> serde_json::Value {
    let change = record.dynamodb().expect("records carry their change");
    let mut dynamodb = serde_json::Map::new();
    if let Some(time) = change.approximate_creation_date_time() {
        dynamodb.insert(
            "ApproximateCreationDateTime".into(),
            serde_json::json!(time.as_secs_f64()),
        );
    }
    for (name, item) in [
        ("Keys", change.keys()),
        ("NewImage", change.new_image()),
        ("OldImage", change.old_image()),
    ] {
        if let Some(item) = item {
            let item: serde_dynamo::Item = item.clone().into();
            dynamodb.insert(
                name.into(),
                serde_json::to_value(item).expect("items serialize"),
            );
        }
    }
    dynamodb.insert(
        "SequenceNumber".into(),
        serde_json::json!(change.sequence_number()),
    );
    dynamodb.insert("SizeBytes".into(), serde_json::json!(change.size_bytes()));
    dynamodb.insert(
        "StreamViewType".into(),
        serde_json::json!(change.stream_view_type().map(|view| view.as_str())),
    );
    serde_json::json!({
        "eventID": record.event_id(),
        "eventName": record.event_name().map(|name| name.as_str()),
        "eventVersion": "1.1",
        "eventSource": "aws:dynamodb",
        "awsRegion": "us-east-1",
        "eventSourceARN": stream_arn,
        "dynamodb": dynamodb,
    })
}
