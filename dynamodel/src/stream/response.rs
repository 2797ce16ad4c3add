//! Lambda's partial batch response for stream triggers: [`BatchFailures`].
//! The semantics are in [the module documentation](super#lambdas-partial-batch-response).

use aws_lambda_events::streams::{DynamoDbBatchItemFailure, DynamoDbEventResponse};

use super::change::Change;
use super::decode::StreamItem;

/// The records of a batch that failed (to decode or to be processed),
/// turned into Lambda's `batchItemFailures` by [`BatchFailures::into_response`].
#[derive(Debug, Default, Clone, PartialEq, Eq)]
#[must_use]
pub struct BatchFailures {
    /// Position in the batch and sequence number of each failed record.
    records: Vec<(usize, Option<String>)>,
}

impl BatchFailures {
    /// No failures: answers that the whole batch succeeded.
    pub fn new() -> Self {
        BatchFailures::default()
    }

    /// Adds a change the handler failed to process.
    pub fn add<T: StreamItem>(&mut self, change: &Change<T>) {
        self.add_record(change.position(), change.sequence_number());
    }

    pub(super) fn add_record(&mut self, position: usize, sequence_number: Option<&str>) {
        self.records
            .push((position, sequence_number.map(str::to_owned)));
    }

    /// Whether no record failed.
    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    /// The response: each failed record once, in batch order, identified by
    /// its sequence number (a record without one by a null identifier, which
    /// Lambda takes as a failure of the whole batch).
    pub fn into_response(mut self) -> DynamoDbEventResponse {
        self.records.sort_by_key(|(position, _)| *position);
        self.records.dedup_by_key(|(position, _)| *position);
        let mut response = DynamoDbEventResponse::default();
        response.batch_item_failures = self
            .records
            .into_iter()
            .map(|(_, sequence_number)| {
                let mut failure = DynamoDbBatchItemFailure::default();
                failure.item_identifier = sequence_number;
                failure
            })
            .collect();
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn identifiers(failures: BatchFailures) -> Vec<Option<String>> {
        failures
            .into_response()
            .batch_item_failures
            .into_iter()
            .map(|failure| failure.item_identifier)
            .collect()
    }

    #[test]
    fn no_failure_is_an_empty_list() {
        let failures = BatchFailures::new();
        assert!(failures.is_empty());
        assert_eq!(identifiers(failures), Vec::<Option<String>>::new());
        let json = serde_json::to_value(BatchFailures::new().into_response()).unwrap();
        assert_eq!(json, serde_json::json!({"batchItemFailures": []}));
    }

    #[test]
    fn failures_come_once_each_in_batch_order() {
        let mut failures = BatchFailures::new();
        failures.add_record(5, Some("500"));
        failures.add_record(2, Some("200"));
        failures.add_record(5, Some("500"));
        failures.add_record(3, None);
        assert!(!failures.is_empty());
        assert_eq!(
            identifiers(failures),
            vec![Some("200".to_owned()), None, Some("500".to_owned())]
        );
    }

    #[test]
    fn the_response_has_lambdas_field_names() {
        let mut failures = BatchFailures::new();
        failures.add_record(0, Some("42"));
        let json = serde_json::to_value(failures.into_response()).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"batchItemFailures": [{"itemIdentifier": "42"}]})
        );
    }
}
