//! Processing a decoded batch in record order: [`ChangeBatch::process_in_order`].

use std::fmt;

use super::batch::ChangeBatch;
use super::change::Change;
use super::decode::StreamItem;
use super::response::BatchFailures;

impl<T: StreamItem> ChangeBatch<T> {
    /// Runs `process` on each change in record order and answers the records
    /// Lambda must retry: those that did not decode, and the first change
    /// `process` fails on. Processing **stops** at that change.
    ///
    /// Stopping is what keeps per-key idempotence sound: Lambda retries a
    /// stream batch from its lowest failed sequence number on, so the changes
    /// after the failure come again anyway, and applying a later change of
    /// the same key now would let its redelivery be mistaken for the failed
    /// one (see [the module documentation](super#lambdas-partial-batch-response)).
    ///
    /// Each record that did not decode and the failed change are logged as
    /// `error` events (target `dynamodel::stream::process`) with the model's
    /// name and the error's `Display`: [`super::RecordError`] shows no value;
    /// `E`'s `Display` is the caller's to keep free of values.
    ///
    /// ```no_run
    /// # use dynamodel::stream::ChangeBatch;
    /// # #[derive(dynamodel::Model)]
    /// # #[dynamodel(table = "orders")]
    /// # struct Order { #[dynamodel(hash_key)] id: String, total: i64 }
    /// # async fn handle(event: aws_lambda_events::dynamodb::Event) {
    /// let batch = ChangeBatch::<Order>::from_lambda_event(event);
    /// let response = batch
    ///     .process_in_order(async |change| {
    ///         // ... apply the change; an Err stops here and reports it.
    ///         Ok::<(), dynamodel::Error>(())
    ///     })
    ///     .await
    ///     .into_response();
    /// # let _ = response;
    /// # }
    /// ```
    pub async fn process_in_order<E, F>(&self, mut process: F) -> BatchFailures
    where
        E: fmt::Display,
        F: AsyncFnMut(&Change<T>) -> Result<(), E>,
    {
        for error in self.errors() {
            tracing::error!(model = T::NAME, %error, "undecodable stream record");
        }
        let mut failures = self.failures();
        for change in self.changes() {
            if let Err(error) = process(change).await {
                tracing::error!(
                    model = T::NAME,
                    %error,
                    sequence = change.sequence_number(),
                    "change not applied"
                );
                failures.add(change);
                break;
            }
        }
        failures
    }
}
