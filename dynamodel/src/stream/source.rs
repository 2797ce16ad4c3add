//! The two sources of stream records brought to one raw form: a Lambda
//! event's records ([`aws_lambda_events::dynamodb::EventRecord`]) and the
//! Streams API's ([`aws_sdk_dynamodbstreams::types::Record`]). Attribute
//! values convert through `serde_dynamo`, which knows all three SDK types.

use std::collections::HashMap;
use std::time::SystemTime;

use aws_lambda_events::dynamodb::EventRecord;
use aws_sdk_dynamodbstreams::types::Record;

use super::change::ViewType;
use crate::Item;

/// A record in neither source's types: what decoding needs, nothing decoded.
#[derive(Default)]
pub(super) struct RawRecord {
    pub(super) event_id: Option<String>,
    /// `INSERT`, `MODIFY` or `REMOVE`; `None` when the record has none.
    pub(super) event_name: Option<String>,
    pub(super) sequence_number: Option<String>,
    pub(super) approximate_creation_time: Option<SystemTime>,
    pub(super) view_type: Option<ViewType>,
    /// `None` when the record has no key attributes.
    pub(super) keys: Option<Item>,
    pub(super) new_image: Option<Item>,
    pub(super) old_image: Option<Item>,
}

/// An image or key map: absent when missing or empty (Lambda's event type
/// holds an absent image as an empty map; a real image is never empty, it
/// holds at least the key attributes).
fn present(item: Option<Item>) -> Option<Item> {
    item.filter(|item| !item.is_empty())
}

/// Converts a `serde_dynamo` item (a Lambda event's) to the SDK's.
fn from_lambda_item(item: serde_dynamo::Item) -> Item {
    item.into()
}

/// Converts a Streams API item to the DynamoDB SDK's.
fn from_streams_item(
    item: HashMap<String, aws_sdk_dynamodbstreams::types::AttributeValue>,
) -> Item {
    item.into_iter()
        .map(|(name, value)| {
            let neutral: serde_dynamo::AttributeValue = value.into();
            (name, neutral.into())
        })
        .collect()
}

/// Lambda's event type defaults a missing time to the epoch: that is "absent".
fn lambda_time(time: chrono::DateTime<chrono::Utc>) -> Option<SystemTime> {
    (time.timestamp_nanos_opt() != Some(0)).then(|| SystemTime::from(time))
}

impl RawRecord {
    /// A Lambda event's record.
    pub(super) fn from_lambda(record: EventRecord) -> Self {
        let change = record.change;
        RawRecord {
            event_id: Some(record.event_id).filter(|id| !id.is_empty()),
            event_name: Some(record.event_name).filter(|name| !name.is_empty()),
            sequence_number: change.sequence_number,
            approximate_creation_time: lambda_time(change.approximate_creation_date_time),
            view_type: change
                .stream_view_type
                .and_then(|view| ViewType::from_name(&view.to_string())),
            keys: present(Some(from_lambda_item(change.keys))),
            new_image: present(Some(from_lambda_item(change.new_image))),
            old_image: present(Some(from_lambda_item(change.old_image))),
        }
    }

    /// A Streams API record.
    pub(super) fn from_streams(record: Record) -> Self {
        let event_name = record.event_name().map(|name| name.as_str().to_owned());
        let event_id = record.event_id;
        let Some(change) = record.dynamodb else {
            return RawRecord {
                event_id,
                event_name,
                ..RawRecord::default()
            };
        };
        RawRecord {
            event_id,
            event_name,
            view_type: change
                .stream_view_type
                .as_ref()
                .and_then(|view| ViewType::from_name(view.as_str())),
            approximate_creation_time: change
                .approximate_creation_date_time
                .and_then(|time| SystemTime::try_from(time).ok()),
            sequence_number: change.sequence_number,
            keys: present(change.keys.map(from_streams_item)),
            new_image: present(change.new_image.map(from_streams_item)),
            old_image: present(change.old_image.map(from_streams_item)),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use aws_sdk_dynamodb::types::AttributeValue as Av;
    use aws_sdk_dynamodbstreams::primitives::Blob;
    use aws_sdk_dynamodbstreams::types::{
        AttributeValue as StreamsAv, OperationType, StreamRecord, StreamViewType,
    };

    use super::*;

    fn streams_item() -> HashMap<String, StreamsAv> {
        HashMap::from([
            ("s".to_owned(), StreamsAv::S("text".into())),
            ("n".to_owned(), StreamsAv::N("-1.5".into())),
            ("b".to_owned(), StreamsAv::B(Blob::new(vec![0, 255]))),
            ("t".to_owned(), StreamsAv::Bool(true)),
            ("z".to_owned(), StreamsAv::Null(true)),
            ("ss".to_owned(), StreamsAv::Ss(vec!["a".into(), "b".into()])),
            ("ns".to_owned(), StreamsAv::Ns(vec!["1".into(), "2".into()])),
            ("bs".to_owned(), StreamsAv::Bs(vec![Blob::new(vec![1])])),
            (
                "l".to_owned(),
                StreamsAv::L(vec![StreamsAv::S("x".into()), StreamsAv::N("2".into())]),
            ),
            (
                "m".to_owned(),
                StreamsAv::M(HashMap::from([("k".to_owned(), StreamsAv::S("v".into()))])),
            ),
        ])
    }

    fn sdk_item() -> Item {
        use aws_sdk_dynamodb::primitives::Blob;
        HashMap::from([
            ("s".to_owned(), Av::S("text".into())),
            ("n".to_owned(), Av::N("-1.5".into())),
            ("b".to_owned(), Av::B(Blob::new(vec![0, 255]))),
            ("t".to_owned(), Av::Bool(true)),
            ("z".to_owned(), Av::Null(true)),
            ("ss".to_owned(), Av::Ss(vec!["a".into(), "b".into()])),
            ("ns".to_owned(), Av::Ns(vec!["1".into(), "2".into()])),
            ("bs".to_owned(), Av::Bs(vec![Blob::new(vec![1])])),
            (
                "l".to_owned(),
                Av::L(vec![Av::S("x".into()), Av::N("2".into())]),
            ),
            (
                "m".to_owned(),
                Av::M(HashMap::from([("k".to_owned(), Av::S("v".into()))])),
            ),
        ])
    }

    #[test]
    fn every_attribute_type_converts_from_the_streams_sdk() {
        assert_eq!(from_streams_item(streams_item()), sdk_item());
    }

    #[test]
    fn every_attribute_type_converts_from_a_lambda_event() {
        let lambda: serde_dynamo::Item = serde_json::from_value(serde_json::json!({
            "s": {"S": "text"}, "n": {"N": "-1.5"}, "b": {"B": "AP8="},
            "t": {"BOOL": true}, "z": {"NULL": true},
            "ss": {"SS": ["a", "b"]}, "ns": {"NS": ["1", "2"]}, "bs": {"BS": ["AQ=="]},
            "l": {"L": [{"S": "x"}, {"N": "2"}]}, "m": {"M": {"k": {"S": "v"}}}
        }))
        .unwrap();
        assert_eq!(from_lambda_item(lambda), sdk_item());
    }

    #[test]
    fn empty_maps_are_absent() {
        assert_eq!(present(None), None);
        assert_eq!(present(Some(Item::new())), None);
        let one = Item::from([("a".to_owned(), Av::Bool(true))]);
        assert_eq!(present(Some(one.clone())), Some(one));
    }

    #[test]
    fn the_epoch_is_lambdas_missing_time() {
        use chrono::TimeZone;
        assert_eq!(lambda_time(chrono::Utc.timestamp_opt(0, 0).unwrap()), None);
        assert_eq!(
            lambda_time(chrono::Utc.timestamp_opt(1_700_000_000, 0).unwrap()),
            Some(SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000))
        );
    }

    #[test]
    fn a_streams_record_keeps_every_field() {
        let record = Record::builder()
            .event_id("e1")
            .event_name(OperationType::Modify)
            .dynamodb(
                StreamRecord::builder()
                    .sequence_number("100")
                    .stream_view_type(StreamViewType::NewAndOldImages)
                    .approximate_creation_date_time(aws_smithy_types::DateTime::from_secs(
                        1_700_000_000,
                    ))
                    .set_keys(Some(HashMap::from([(
                        "s".to_owned(),
                        StreamsAv::S("text".into()),
                    )])))
                    .set_new_image(Some(streams_item()))
                    .set_old_image(Some(HashMap::new()))
                    .build(),
            )
            .build();
        let raw = RawRecord::from_streams(record);
        assert_eq!(raw.event_id.as_deref(), Some("e1"));
        assert_eq!(raw.event_name.as_deref(), Some("MODIFY"));
        assert_eq!(raw.sequence_number.as_deref(), Some("100"));
        assert_eq!(raw.view_type, Some(ViewType::NewAndOldImages));
        assert_eq!(
            raw.approximate_creation_time,
            Some(SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000))
        );
        assert_eq!(
            raw.keys,
            Some(Item::from([("s".to_owned(), Av::S("text".into()))]))
        );
        assert_eq!(raw.new_image, Some(sdk_item()));
        assert_eq!(raw.old_image, None, "an empty image is absent");
    }

    #[test]
    fn a_streams_record_without_its_change_keeps_its_ids() {
        let record = Record::builder()
            .event_id("e2")
            .event_name(OperationType::Remove)
            .build();
        let raw = RawRecord::from_streams(record);
        assert_eq!(raw.event_id.as_deref(), Some("e2"));
        assert_eq!(raw.event_name.as_deref(), Some("REMOVE"));
        assert!(raw.keys.is_none() && raw.sequence_number.is_none());
    }

    #[test]
    fn a_lambda_record_keeps_every_field() {
        let record: EventRecord = serde_json::from_value(serde_json::json!({
            "eventID": "e3", "eventName": "INSERT", "awsRegion": "us-east-1",
            "dynamodb": {
                "ApproximateCreationDateTime": 1700000000.0,
                "Keys": {"s": {"S": "text"}},
                "NewImage": {"s": {"S": "text"}},
                "SequenceNumber": "200", "SizeBytes": 10,
                "StreamViewType": "NEW_IMAGE"
            }
        }))
        .unwrap();
        let raw = RawRecord::from_lambda(record);
        assert_eq!(raw.event_id.as_deref(), Some("e3"));
        assert_eq!(raw.event_name.as_deref(), Some("INSERT"));
        assert_eq!(raw.sequence_number.as_deref(), Some("200"));
        assert_eq!(raw.view_type, Some(ViewType::NewImage));
        assert_eq!(
            raw.approximate_creation_time,
            Some(SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000))
        );
        let keys = Item::from([("s".to_owned(), Av::S("text".into()))]);
        assert_eq!(raw.keys.as_ref(), Some(&keys));
        assert_eq!(raw.new_image, Some(keys));
        assert_eq!(raw.old_image, None);
    }

    #[test]
    fn a_lambda_record_without_ids_has_none() {
        let record: EventRecord = serde_json::from_value(serde_json::json!({
            "eventID": "", "eventName": "", "awsRegion": "",
            "dynamodb": {"SizeBytes": 0}
        }))
        .unwrap();
        let raw = RawRecord::from_lambda(record);
        assert!(raw.event_id.is_none() && raw.event_name.is_none());
        assert!(raw.keys.is_none() && raw.new_image.is_none() && raw.view_type.is_none());
        assert!(raw.approximate_creation_time.is_none());
    }
}
