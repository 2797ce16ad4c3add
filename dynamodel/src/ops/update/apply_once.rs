//! [`Update::apply_once`]: an update applied at most once per event, for
//! handlers that receive the same event more than once (a DynamoDB Streams
//! or SQS batch retried by Lambda, a webhook redelivered).
//!
//! The update also writes a *marker* attribute (the event's position: a
//! stream record's `stream::SequenceNumber` (feature `streams`), a
//! timestamp, a counter) and carries the condition "the marker is absent
//! or below this event's". A redelivered or older event then fails that
//! condition and changes nothing.
//!
//! # Guarantees
//!
//! * **At most once, atomically.** The marker and the update's own changes
//!   are one `UpdateItem`: either both are written or neither.
//! * **A redelivery is not an error.** When the condition fails and the
//!   stored marker (returned by DynamoDB with the failure) is at or above
//!   this event's, the call answers [`Applied::Before`].
//! * **Other failures stay failures.** When the condition fails for
//!   another reason (the update's own [`Update::condition`], a missing item
//!   for [`Db::update`](crate::Db::update), a version conflict) while the
//!   marker is still below this event's, the call fails with that error,
//!   as the update alone would: it is never mistaken for a redelivery.
//! * Markers compare as DynamoDB compares them: strings and binary byte by
//!   byte, numbers by value. A stream's sequence numbers are decimal text
//!   of varying length, so they are stored zero-padded
//!   (`stream::SequenceNumber` does it).

use std::future::IntoFuture;
use std::str::FromStr;

use aws_sdk_dynamodb::types::AttributeValue;
use futures::future::BoxFuture;

use super::{ReturnKind, Update};
use crate::expr::{Comparable, Comparator, Condition, ConditionNode, Field, IntoFieldValue};
use crate::expr::{Operand, Path, PathElement};
use crate::{Error, Item, Model, Number, Result};

/// What [`Update::apply_once`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Applied<T> {
    /// The update was applied now; `T` is what it returned (see
    /// [`Update::return_all_new`] and friends).
    Now(T),
    /// Nothing was written: the stored marker shows this event (or a later
    /// one) was applied before.
    Before,
}

impl<T> Applied<T> {
    /// Whether the update was applied by this call.
    pub fn is_now(&self) -> bool {
        matches!(self, Applied::Now(_))
    }

    /// What the update returned, if it was applied by this call.
    pub fn now(self) -> Option<T> {
        match self {
            Applied::Now(output) => Some(output),
            Applied::Before => None,
        }
    }
}

/// An [`Update`] applied at most once per event: built by
/// [`Update::apply_once`], sent with `.await` (or [`ApplyOnce::send`]).
#[must_use = "an update does nothing until it is sent with `.send().await` or `.await`"]
pub struct ApplyOnce<M: Model, R = super::NoReturn> {
    update: Update<M, R>,
    marker: Path,
    /// The marker as stored, `None` when it did not convert (the update
    /// then fails before sending, with the conversion error).
    mark: Option<AttributeValue>,
}

impl<M: Model, R> std::fmt::Debug for ApplyOnce<M, R> {
    // The marker's value is left out, as the update's values are.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ApplyOnce")
            .field("update", &self.update)
            .field("marker", &self.marker.display_name())
            .finish_non_exhaustive()
    }
}

impl<M: Model, R: ReturnKind<M>> Update<M, R> {
    /// Applies this update at most once per event: it also sets `marker` to
    /// `mark` (the event's position) and requires the stored marker to be
    /// absent or below `mark`. Awaiting it answers [`Applied::Now`] with
    /// what the update returns, or [`Applied::Before`] when the stored marker
    /// is already at or above `mark` (a redelivery, or an older event).
    /// See [the module](self) for the guarantees.
    ///
    /// A stream handler passes the record's
    /// `stream::Change::sequence` (feature `streams`); here, a
    /// webhook's delivery counter:
    ///
    /// ```no_run
    /// use dynamodel::ops::Applied;
    /// use dynamodel::{Db, Model};
    ///
    /// #[derive(Model)]
    /// #[dynamodel(table = "totals")]
    /// struct Totals {
    ///     #[dynamodel(hash_key)]
    ///     customer: String,
    ///     payments: i64,
    ///     last_event: u64,
    /// }
    ///
    /// async fn on_payment(db: &Db, customer: &str, event: u64) -> dynamodel::Result<()> {
    ///     let f = Totals::fields();
    ///     let applied = db
    ///         .upsert::<Totals>(customer)
    ///         .increment(&f.payments, 1)
    ///         .apply_once(&f.last_event, event)
    ///         .await?;
    ///     if applied == Applied::Before {
    ///         // A redelivery: counted already.
    ///     }
    ///     Ok(())
    /// }
    /// ```
    pub fn apply_once<T: Comparable, P>(
        mut self,
        marker: &Field<M, T, P>,
        mark: impl IntoFieldValue<T>,
    ) -> ApplyOnce<M, R> {
        let (value, key_part) =
            crate::pipeline::update::prepare_value(marker, mark.into_value(), &mut self.invalid);
        let mark = match &value {
            Operand::Value { value: Ok(v), .. } => Some(v.clone()),
            _ => None,
        };
        let path = marker.path().clone();
        let below = Condition::from_node(ConditionNode::Compare(
            Operand::Path(path.clone()),
            Comparator::Lt,
            value.clone(),
        ));
        let update = self
            .set_prepared(path.clone(), value, key_part)
            .condition(marker.not_exists().or(below));
        ApplyOnce {
            update,
            marker: path,
            mark,
        }
    }
}

impl<M: Model, R: ReturnKind<M>> ApplyOnce<M, R> {
    /// Sends the update (see [`Update::send`]).
    pub async fn send(self) -> Result<Applied<R::Output>> {
        match self.update.send().await {
            Ok(output) => Ok(Applied::Now(output)),
            Err(error) => {
                let stored = match &error {
                    Error::ConditionFailed { item, .. } | Error::VersionConflict { item, .. } => {
                        item.as_ref().and_then(|item| at(item.item(), &self.marker))
                    }
                    _ => None,
                };
                match (stored, &self.mark) {
                    (Some(stored), Some(mark)) if at_least(stored, mark) => Ok(Applied::Before),
                    _ => Err(error),
                }
            }
        }
    }
}

impl<M: Model, R: ReturnKind<M>> IntoFuture for ApplyOnce<M, R> {
    type Output = Result<Applied<R::Output>>;
    type IntoFuture = BoxFuture<'static, Self::Output>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

/// The value at `path` in `item`.
fn at<'a>(item: &'a Item, path: &Path) -> Option<&'a AttributeValue> {
    let (first, rest) = path.elements().split_first()?;
    let PathElement::Attribute(name) = first else {
        return None;
    };
    rest.iter()
        .try_fold(item.get(name)?, |value, element| match (element, value) {
            (PathElement::Attribute(key), AttributeValue::M(map)) => map.get(key),
            (PathElement::Index(index), AttributeValue::L(list)) => list.get(*index),
            _ => None,
        })
}

/// `stored >= mark` as DynamoDB compares them: `false` for values of
/// different types (which DynamoDB does not order either).
fn at_least(stored: &AttributeValue, mark: &AttributeValue) -> bool {
    match (stored, mark) {
        (AttributeValue::S(stored), AttributeValue::S(mark)) => {
            stored.as_bytes() >= mark.as_bytes()
        }
        (AttributeValue::B(stored), AttributeValue::B(mark)) => stored.as_ref() >= mark.as_ref(),
        (AttributeValue::N(stored), AttributeValue::N(mark)) => {
            match (Number::from_str(stored), Number::from_str(mark)) {
                (Ok(stored), Ok(mark)) => stored >= mark,
                _ => false,
            }
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use aws_sdk_dynamodb::primitives::Blob;

    use super::*;

    fn s(text: &str) -> AttributeValue {
        AttributeValue::S(text.into())
    }

    fn n(text: &str) -> AttributeValue {
        AttributeValue::N(text.into())
    }

    #[test]
    fn applied_tells_now_from_before() {
        assert!(Applied::Now(3).is_now());
        assert!(!Applied::<i32>::Before.is_now());
        assert_eq!(Applied::Now(3).now(), Some(3));
        assert_eq!(Applied::<i32>::Before.now(), None);
    }

    #[test]
    fn strings_compare_byte_by_byte() {
        assert!(at_least(&s("0002"), &s("0002")));
        assert!(at_least(&s("0003"), &s("0002")));
        assert!(!at_least(&s("0002"), &s("0003")));
        // Bytes, not numbers: unpadded text orders by its first digit.
        assert!(at_least(&s("9"), &s("10")));
    }

    #[test]
    fn numbers_compare_by_value() {
        assert!(at_least(&n("10"), &n("9")));
        assert!(!at_least(&n("9"), &n("10")));
        assert!(at_least(&n("10"), &n("10.0")));
        assert!(at_least(&n("-1"), &n("-2")));
        assert!(!at_least(&n("not a number"), &n("1")));
    }

    #[test]
    fn binary_compares_byte_by_byte() {
        let b = |bytes: &[u8]| AttributeValue::B(Blob::new(bytes));
        assert!(at_least(&b(&[1, 2]), &b(&[1, 2])));
        assert!(at_least(&b(&[2]), &b(&[1, 9])));
        assert!(!at_least(&b(&[1]), &b(&[1, 0])));
    }

    #[test]
    fn different_types_never_compare() {
        assert!(!at_least(&s("5"), &n("1")));
        assert!(!at_least(&n("5"), &s("1")));
        assert!(!at_least(
            &AttributeValue::Bool(true),
            &AttributeValue::Bool(true)
        ));
    }

    #[test]
    fn a_marker_is_found_at_its_path() {
        let item: Item = HashMap::from([
            ("top".to_string(), s("a")),
            (
                "nested".to_string(),
                AttributeValue::M(HashMap::from([(
                    "list".to_string(),
                    AttributeValue::L(vec![s("x"), s("y")]),
                )])),
            ),
        ]);
        assert_eq!(at(&item, &Path::attribute("top")), Some(&s("a")));
        let inner = Path::attribute("nested").key("list").index(1);
        assert_eq!(at(&item, &inner), Some(&s("y")));
        assert_eq!(
            at(&item, &Path::attribute("nested").key("list").index(2)),
            None
        );
        assert_eq!(at(&item, &Path::attribute("top").key("list")), None);
        assert_eq!(at(&item, &Path::attribute("absent")), None);
    }
}
