//! Typed DynamoDB Streams records (feature `streams`): the records of a
//! Lambda event ([`aws_lambda_events::dynamodb::Event`]) and those of the
//! DynamoDB Streams API (`GetRecords`, [`aws_sdk_dynamodbstreams`]) decoded
//! into one type, [`Change`], and Lambda's partial batch response.
//!
//! ```no_run
//! use aws_lambda_events::dynamodb::Event;
//! use aws_lambda_events::streams::DynamoDbEventResponse;
//! use dynamodel::stream::{ChangeBatch, ChangeKind};
//! use dynamodel::Model;
//!
//! #[derive(Model)]
//! #[dynamodel(table = "orders")]
//! struct Order {
//!     #[dynamodel(hash_key)]
//!     id: String,
//!     total: i64,
//! }
//!
//! fn handle(event: Event) -> DynamoDbEventResponse {
//!     let batch = ChangeBatch::<Order>::from_lambda_event(event);
//!     let mut failures = batch.failures(); // the records that did not decode
//!     for change in batch.changes() {
//!         if change.kind() == ChangeKind::Insert {
//!             let total = change.new_image().map(|order| order.total);
//!             # let _ = total;
//!             // ... on a processing error: failures.add(change);
//!         }
//!     }
//!     failures.into_response()
//! }
//! ```
//!
//! # Guarantees
//!
//! * **Same as `get`.** Images decode through the model's read pipeline
//!   ([`crate::pipeline::finish_read`]: decoding, `get` transforms, the
//!   `after_load` hook), so an image equals what [`crate::Db::get`] returns
//!   for the same stored item.
//! * **Absent is not an error.** An image the stream's view type does not
//!   carry (`KEYS_ONLY`, `NEW_IMAGE`, `OLD_IMAGE`, `NEW_AND_OLD_IMAGES`; an
//!   insert has no old image, a remove no new one) is `None`.
//! * **One source, one type.** A Lambda event and the Streams API's records
//!   of the same changes decode into equal [`Change`]s.
//! * **One bad record fails alone.** A record that does not decode becomes a
//!   [`RecordError`] naming its position, event id, sequence number, and the
//!   model, attribute and rule it broke; the others decode. Nothing is
//!   dropped silently: every record is a change, an error or counted as
//!   skipped ([`StreamItem::claim`]).
//! * **No values in messages.** The `Debug` of [`Change`], [`ChangeKey`],
//!   [`ChangeBatch`] and [`RecordError`] shows kinds, attribute names and
//!   types, never keys or images.
//!
//! # Keys
//!
//! [`Change::key`] is the model's `Model::Key` when it can be known: read
//! from the record's key attributes for plain key fields
//! ([`crate::Model::key_from_item`]), or taken from an image. A model whose
//! key is composed by templates (`pk = "CUSTOMER#{id}"`) cannot be read back
//! from key text, so a record carrying no image (a `KEYS_ONLY` stream, a
//! remove on a `NEW_IMAGE` stream) gives [`ChangeKey::Raw`]: the key
//! attributes as stored ([`Change::raw_keys`] always has them).
//!
//! # Shared tables
//!
//! Decoding is generic over [`StreamItem`], implemented for every
//! [`crate::Model`] and every `#[derive(Collection)]` enum
//! ([`crate::collection`]). A shared table's records decode into the enum's
//! member whose entity the image holds (`ChangeBatch::<ShopItem>`), through
//! that member's read pipeline; a record of an entity the enum does not
//! list answers [`Claim::NotMine`] from [`StreamItem::claim`] and is counted
//! in [`ChangeBatch::skipped`], not an error; an image that does not fit its
//! member is a [`RecordError`] naming the member model. A record without
//! images (`KEYS_ONLY`) cannot be told apart by entity: a collection keeps
//! it, keyed [`ChangeKey::Raw`]. A collection's key is its `{Enum}Key`,
//! the member's key, taken from an image.
//!
//! # Lambda's partial batch response
//!
//! With `ReportBatchItemFailures` turned on for the event source mapping,
//! a handler answers the records that failed ([`BatchFailures`]) by sequence
//! number. On a stream, Lambda takes the **lowest** sequence number among
//! them as its checkpoint and retries the batch from that record on: the
//! records after the first failure come again even if they succeeded, so
//! processing must be idempotent: [`Update::apply_once`](crate::ops::Update::apply_once)
//! with the record's [`Change::sequence`] writes each change at most once. [`BatchFailures::into_response`] lists
//! every failed record, in batch order (the first is the one that counts).
//! An empty list means the whole batch succeeded; a failed record without a
//! sequence number (never the case in a Lambda event) is answered with a
//! null identifier, which Lambda treats as a failure of the whole batch.
//! Without `ReportBatchItemFailures`, Lambda ignores the response: return an
//! error from the handler instead to retry the batch.
//! [`ChangeBatch::process_in_order`] is the usual loop: it processes the
//! changes in record order, stops at the first that fails, and answers it
//! with the records that did not decode.
//!
//! A record that cannot be decoded will not decode on a retry either: it
//! holds its shard until it expires from the stream (24 hours) or the
//! mapping's retry limit sends it to its on-failure destination. Report it
//! when losing it is worse than waiting; otherwise log its [`RecordError`]
//! and leave it out of the response.

mod batch;
mod change;
#[doc(hidden)]
pub mod collection;
mod decode;
mod process;
mod response;
mod sequence;
mod source;

pub use batch::{ChangeBatch, RecordError, RecordProblem};
pub use change::{Change, ChangeKey, ChangeKind, Image, ViewType};
pub use decode::{Claim, StreamItem};
pub use response::BatchFailures;
pub use sequence::SequenceNumber;
