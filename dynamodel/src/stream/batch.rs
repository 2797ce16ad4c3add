//! Decoding a batch of records: [`ChangeBatch`], holding the decoded
//! changes and one [`RecordError`] per record that did not decode.

use std::fmt;

use aws_lambda_events::dynamodb::Event;
use aws_sdk_dynamodbstreams::types::Record;

use super::change::{Change, ChangeKey, ChangeKind, Image};
use super::decode::{Claim, StreamItem};
use super::response::BatchFailures;
use super::source::RawRecord;
use crate::redact::{Count, RedactedItem};
use crate::Error;

/// Why a record did not decode.
#[derive(Debug)]
#[non_exhaustive]
pub enum RecordProblem {
    /// An image does not fit the type: the error names the model, the
    /// attribute and the rule (or the hook that refused it).
    Image {
        /// Which image.
        image: Image,
        /// The read pipeline's error.
        source: Error,
    },
    /// The key attributes do not fit the model's key.
    Key {
        /// The decoding error.
        source: Error,
    },
    /// The record's event name is missing or not `INSERT`, `MODIFY` or
    /// `REMOVE`.
    UnknownEventName,
    /// The record has no key attributes.
    MissingKeys,
}

impl fmt::Display for RecordProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RecordProblem::Image { image, source } => write!(f, "{image}: {source}"),
            RecordProblem::Key { source } => write!(f, "keys: {source}"),
            RecordProblem::UnknownEventName => {
                f.write_str("event name missing or not INSERT, MODIFY or REMOVE")
            }
            RecordProblem::MissingKeys => f.write_str("no key attributes"),
        }
    }
}

/// A record that did not decode, identified by its position in the batch,
/// event id and sequence number (never by its values).
#[derive(Debug)]
pub struct RecordError {
    type_name: &'static str,
    position: usize,
    event_id: Option<String>,
    sequence_number: Option<String>,
    problem: RecordProblem,
}

impl RecordError {
    /// The record's position in its batch (from 0).
    pub fn position(&self) -> usize {
        self.position
    }

    /// The record's event id.
    pub fn event_id(&self) -> Option<&str> {
        self.event_id.as_deref()
    }

    /// The record's sequence number (the partial batch response's identifier).
    pub fn sequence_number(&self) -> Option<&str> {
        self.sequence_number.as_deref()
    }

    /// What went wrong.
    pub fn problem(&self) -> &RecordProblem {
        &self.problem
    }
}

impl fmt::Display for RecordError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: stream record #{} (event id {}, sequence number {}): {}",
            self.type_name,
            self.position,
            self.event_id.as_deref().unwrap_or("<none>"),
            self.sequence_number.as_deref().unwrap_or("<none>"),
            self.problem
        )
    }
}

impl std::error::Error for RecordError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.problem {
            RecordProblem::Image { source, .. } | RecordProblem::Key { source } => Some(source),
            RecordProblem::UnknownEventName | RecordProblem::MissingKeys => None,
        }
    }
}

/// A batch of stream records decoded into `T`: the changes, in record
/// order, and one error per record that did not decode. Every record is in
/// exactly one of [`ChangeBatch::changes`], [`ChangeBatch::errors`] or the
/// [`ChangeBatch::skipped`] count.
pub struct ChangeBatch<T: StreamItem> {
    changes: Vec<Change<T>>,
    errors: Vec<RecordError>,
    skipped: usize,
}

impl<T: StreamItem> ChangeBatch<T> {
    /// Decodes the records of a Lambda event (DynamoDB Streams trigger).
    pub fn from_lambda_event(event: Event) -> Self {
        Self::from_raw(event.records.into_iter().map(RawRecord::from_lambda))
    }

    /// Decodes records read from the DynamoDB Streams API (`GetRecords`).
    pub fn from_stream_records(records: impl IntoIterator<Item = Record>) -> Self {
        Self::from_raw(records.into_iter().map(RawRecord::from_streams))
    }

    fn from_raw(records: impl Iterator<Item = RawRecord>) -> Self {
        let mut batch = ChangeBatch {
            changes: Vec::new(),
            errors: Vec::new(),
            skipped: 0,
        };
        for (position, record) in records.enumerate() {
            let (event_id, sequence_number) =
                (record.event_id.clone(), record.sequence_number.clone());
            match decode::<T>(position, record) {
                Ok(Some(change)) => batch.changes.push(change),
                Ok(None) => batch.skipped += 1,
                Err(problem) => batch.errors.push(RecordError {
                    type_name: T::NAME,
                    position,
                    event_id,
                    sequence_number,
                    problem,
                }),
            }
        }
        batch
    }

    /// The decoded changes, in record order.
    pub fn changes(&self) -> &[Change<T>] {
        &self.changes
    }

    /// The decoded changes, taken out.
    pub fn into_changes(self) -> Vec<Change<T>> {
        self.changes
    }

    /// The records that did not decode, in record order.
    pub fn errors(&self) -> &[RecordError] {
        &self.errors
    }

    /// How many records belonged to other entities ([`Claim::NotMine`]).
    pub fn skipped(&self) -> usize {
        self.skipped
    }

    /// The partial batch response naming the records that did not decode,
    /// to which the handler adds those it failed to process.
    pub fn failures(&self) -> BatchFailures {
        let mut failures = BatchFailures::new();
        for error in &self.errors {
            failures.add_record(error.position, error.sequence_number.as_deref());
        }
        failures
    }
}

impl<T: StreamItem> fmt::Debug for ChangeBatch<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ChangeBatch")
            .field("type", &T::NAME)
            .field("changes", &Count(self.changes.len()))
            .field("errors", &self.errors)
            .field("skipped", &self.skipped)
            .finish()
    }
}

/// Decodes one record: `Ok(None)` when it is another entity's.
fn decode<T: StreamItem>(
    position: usize,
    record: RawRecord,
) -> Result<Option<Change<T>>, RecordProblem> {
    let kind = record
        .event_name
        .as_deref()
        .and_then(ChangeKind::from_event_name)
        .ok_or(RecordProblem::UnknownEventName)?;
    let keys = record.keys.ok_or(RecordProblem::MissingKeys)?;
    let image = record.new_image.as_ref().or(record.old_image.as_ref());
    if T::claim(&keys, image) == Claim::NotMine {
        return Ok(None);
    }
    let decode_image = |image: Image, item| {
        T::decode_image(item).map_err(|source| RecordProblem::Image { image, source })
    };
    let new_image = record
        .new_image
        .map(|item| decode_image(Image::New, item))
        .transpose()?;
    let old_image = record
        .old_image
        .map(|item| decode_image(Image::Old, item))
        .transpose()?;
    let key = match T::decode_key(&keys) {
        Some(key) => ChangeKey::Typed(key.map_err(|source| RecordProblem::Key { source })?),
        None => match new_image.as_ref().or(old_image.as_ref()) {
            Some(item) => ChangeKey::Typed(item.key_of()),
            None => ChangeKey::Raw(RedactedItem::new(keys.clone())),
        },
    };
    Ok(Some(Change {
        position,
        kind,
        event_id: record.event_id,
        sequence_number: record.sequence_number,
        approximate_creation_time: record.approximate_creation_time,
        view_type: record.view_type,
        key,
        raw_keys: RedactedItem::new(keys),
        new_image,
        old_image,
    }))
}

#[cfg(test)]
mod tests {
    use aws_sdk_dynamodb::types::AttributeValue as Av;

    use super::*;
    use crate::{ConvertError, Item};

    /// A hand-written stream item: `id` (text) is the key, `n` a number;
    /// items whose `id` starts with `other` belong to another entity; a key
    /// `id` that is not text does not decode.
    #[derive(Debug, PartialEq)]
    struct Thing {
        id: String,
        n: String,
    }

    fn text(item: &Item, name: &str) -> Result<String, Error> {
        match item.get(name) {
            Some(Av::S(text)) => Ok(text.clone()),
            _ => Err(Error::Decode {
                model: "Thing",
                attribute: name.to_owned(),
                key: crate::error::KeyDescription::from_item(item, &["id"]),
                source: ConvertError::Missing,
            }),
        }
    }

    impl StreamItem for Thing {
        type Key = String;
        const NAME: &'static str = "Thing";

        fn claim(keys: &Item, _image: Option<&Item>) -> Claim {
            match keys.get("id") {
                Some(Av::S(id)) if id.starts_with("other") => Claim::NotMine,
                _ => Claim::Mine,
            }
        }

        fn decode_image(image: Item) -> Result<Self, Error> {
            Ok(Thing {
                id: text(&image, "id")?,
                n: text(&image, "n")?,
            })
        }

        fn decode_key(keys: &Item) -> Option<Result<String, Error>> {
            match keys.get("id") {
                Some(Av::S(id)) if id.starts_with("raw") => None,
                _ => Some(text(keys, "id")),
            }
        }

        fn key_of(&self) -> String {
            format!("from-image-{}", self.id)
        }
    }

    fn item(pairs: &[(&str, &str)]) -> Item {
        pairs
            .iter()
            .map(|(name, value)| ((*name).to_owned(), Av::S((*value).to_owned())))
            .collect()
    }

    fn record(name: &str, id: &str, new: Option<Item>, old: Option<Item>) -> RawRecord {
        RawRecord {
            event_id: Some(format!("event-{id}")),
            event_name: Some(name.to_owned()),
            sequence_number: Some(format!("seq-{id}")),
            keys: Some(item(&[("id", id)])),
            new_image: new,
            old_image: old,
            ..RawRecord::default()
        }
    }

    fn batch(records: Vec<RawRecord>) -> ChangeBatch<Thing> {
        ChangeBatch::from_raw(records.into_iter())
    }

    /// The partial batch response's identifiers, in order.
    fn identifiers(failures: BatchFailures) -> Vec<Option<String>> {
        failures
            .into_response()
            .batch_item_failures
            .into_iter()
            .map(|failure| failure.item_identifier)
            .collect()
    }

    #[test]
    fn each_record_is_a_change_an_error_or_skipped() {
        let secret = item(&[("id", "b"), ("n", "secret-value")]);
        let mut no_keys = record("INSERT", "c", None, None);
        no_keys.keys = None;
        let batch = batch(vec![
            record("INSERT", "a", Some(item(&[("id", "a"), ("n", "1")])), None),
            record("MODIFY", "b", Some(item(&[("id", "b")])), Some(secret)),
            no_keys,
            record("RENAME", "d", None, None),
            record("REMOVE", "other-e", None, None),
            record("REMOVE", "f", None, Some(item(&[("id", "f"), ("n", "2")]))),
        ]);
        let positions: Vec<usize> = batch.changes().iter().map(Change::position).collect();
        assert_eq!(positions, [0, 5]);
        assert_eq!(batch.skipped(), 1);
        let problems: Vec<(usize, String)> = batch
            .errors()
            .iter()
            .map(|error| (error.position(), error.problem().to_string()))
            .collect();
        assert_eq!(problems.len(), 3, "{problems:?}");
        assert_eq!(problems[0].0, 1);
        assert!(
            problems[0].1.starts_with("new image: Thing.n"),
            "{problems:?}"
        );
        assert_eq!(problems[1], (2, "no key attributes".to_owned()));
        assert_eq!(
            problems[2],
            (
                3,
                "event name missing or not INSERT, MODIFY or REMOVE".to_owned()
            )
        );
        assert!(matches!(
            batch.errors()[2].problem(),
            RecordProblem::UnknownEventName
        ));
        let shown = format!("{batch:?} {}", batch.errors()[0]);
        assert!(!shown.contains("secret-value"), "{shown}");
        assert!(
            batch.errors()[0].to_string().starts_with(
                "Thing: stream record #1 (event id event-b, sequence number seq-b): new image: "
            ),
            "{}",
            batch.errors()[0]
        );
        assert_eq!(
            identifiers(batch.failures()),
            [
                Some("seq-b".to_owned()),
                Some("seq-c".to_owned()),
                Some("seq-d".to_owned())
            ]
        );
    }

    #[tokio::test]
    async fn processing_stops_at_the_first_failed_change_and_reports_it() {
        let image = |id: &str| Some(item(&[("id", id), ("n", "1")]));
        let batch = batch(vec![
            record("INSERT", "a", image("a"), None),
            record("INSERT", "b", Some(item(&[("id", "b")])), None),
            record("INSERT", "c", image("c"), None),
            record("INSERT", "d", image("d"), None),
            record("INSERT", "e", image("e"), None),
        ]);
        let mut seen = Vec::new();
        let failures = batch
            .process_in_order(async |change| {
                seen.push(change.position());
                if change.position() == 3 {
                    Err("refused")
                } else {
                    Ok(())
                }
            })
            .await;
        // `b` did not decode; `d` failed, so `e` was not processed.
        assert_eq!(seen, [0, 2, 3]);
        assert_eq!(
            identifiers(failures),
            [Some("seq-b".to_owned()), Some("seq-d".to_owned())]
        );

        let mut count = 0;
        let failures = batch
            .process_in_order(async |_| {
                count += 1;
                Ok::<(), String>(())
            })
            .await;
        assert_eq!(count, 4);
        assert_eq!(failures.into_response().batch_item_failures.len(), 1);
    }

    #[test]
    fn an_old_image_that_does_not_decode_is_named() {
        let batch = batch(vec![record(
            "REMOVE",
            "a",
            None,
            Some(item(&[("id", "a")])),
        )]);
        let [error] = batch.errors() else {
            panic!("one error expected")
        };
        assert!(matches!(
            error.problem(),
            RecordProblem::Image {
                image: Image::Old,
                ..
            }
        ));
        assert!(std::error::Error::source(error).is_some());
    }

    #[test]
    fn a_key_that_does_not_decode_is_an_error() {
        let mut bad_key = record("INSERT", "a", None, None);
        bad_key.keys = Some(Item::from([("id".to_owned(), Av::N("1".into()))]));
        let batch = batch(vec![bad_key]);
        let [error] = batch.errors() else {
            panic!("one error expected")
        };
        assert!(matches!(error.problem(), RecordProblem::Key { .. }));
        assert!(error.problem().to_string().starts_with("keys: Thing.id"));
    }

    #[test]
    fn keys_come_from_the_keys_else_an_image_else_stay_raw() {
        let image = |id: &str| Some(item(&[("id", id), ("n", "1")]));
        let batch = batch(vec![
            record("INSERT", "a", image("a"), None),
            record("INSERT", "raw-b", image("raw-b"), None),
            record("REMOVE", "raw-c", None, image("raw-c")),
            record("REMOVE", "raw-d", None, None),
        ]);
        assert!(batch.errors().is_empty());
        let keys: Vec<Option<String>> = batch
            .changes()
            .iter()
            .map(|change| change.key().typed().cloned())
            .collect();
        assert_eq!(
            keys,
            [
                Some("a".to_owned()),
                Some("from-image-raw-b".to_owned()),
                Some("from-image-raw-c".to_owned()),
                None
            ]
        );
        let last = &batch.changes()[3];
        assert_eq!(last.key(), &ChangeKey::Raw(item(&[("id", "raw-d")]).into()));
        assert_eq!(last.raw_keys().item(), &item(&[("id", "raw-d")]));
        assert_eq!(last.latest_image(), None);
        let shown = format!("{last:?}");
        assert!(shown.contains("Raw({\"id\": S(<redacted>)})"), "{shown}");
        assert!(shown.contains("new_image: None"), "{shown}");
        assert!(!shown.contains("\"raw-d\""), "{shown}");
    }

    #[test]
    fn a_change_keeps_its_record_fields_and_shows_no_value() {
        let mut with_both = record(
            "MODIFY",
            "a",
            Some(item(&[("id", "a"), ("n", "new-n")])),
            Some(item(&[("id", "a"), ("n", "old-n")])),
        );
        with_both.view_type = Some(super::super::ViewType::NewAndOldImages);
        let time = std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(5);
        with_both.approximate_creation_time = Some(time);
        let batch = batch(vec![with_both]);
        let change = &batch.changes()[0];
        assert_eq!(change.kind(), ChangeKind::Modify);
        assert_eq!(change.event_id(), Some("event-a"));
        assert_eq!(change.sequence_number(), Some("seq-a"));
        assert_eq!(change.approximate_creation_time(), Some(time));
        assert_eq!(
            change.view_type(),
            Some(super::super::ViewType::NewAndOldImages)
        );
        assert_eq!(change.new_image().map(|t| t.n.as_str()), Some("new-n"));
        assert_eq!(change.old_image().map(|t| t.n.as_str()), Some("old-n"));
        assert_eq!(change.latest_image().map(|t| t.n.as_str()), Some("new-n"));
        let shown = format!("{change:?}");
        assert!(shown.contains("new_image: Some(<Thing>)"), "{shown}");
        assert!(shown.contains("key: Typed(<redacted>)"), "{shown}");
        assert!(
            !shown.contains("new-n") && !shown.contains("old-n"),
            "{shown}"
        );
        let (old, new) = batch.into_changes().remove(0).into_images();
        assert_eq!(
            (old.unwrap().n, new.unwrap().n),
            ("old-n".into(), "new-n".into())
        );
    }

    #[test]
    fn event_names_and_view_types_parse() {
        use super::super::ViewType;
        assert_eq!(
            ChangeKind::from_event_name("INSERT"),
            Some(ChangeKind::Insert)
        );
        assert_eq!(
            ChangeKind::from_event_name("MODIFY"),
            Some(ChangeKind::Modify)
        );
        assert_eq!(
            ChangeKind::from_event_name("REMOVE"),
            Some(ChangeKind::Remove)
        );
        assert_eq!(ChangeKind::from_event_name("insert"), None);
        assert_eq!(ViewType::from_name("KEYS_ONLY"), Some(ViewType::KeysOnly));
        assert_eq!(ViewType::from_name("NEW_IMAGE"), Some(ViewType::NewImage));
        assert_eq!(ViewType::from_name("OLD_IMAGE"), Some(ViewType::OldImage));
        assert_eq!(
            ViewType::from_name("NEW_AND_OLD_IMAGES"),
            Some(ViewType::NewAndOldImages)
        );
        assert_eq!(ViewType::from_name("BOTH"), None);
        assert_eq!(Image::New.to_string(), "new image");
        assert_eq!(Image::Old.to_string(), "old image");
    }
}
