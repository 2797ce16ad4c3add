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
