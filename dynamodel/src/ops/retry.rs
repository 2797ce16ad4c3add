//! Retry budgets with exponential backoff and full jitter, shared by batches
//! and transactions.

use std::time::{Duration, Instant};

use aws_sdk_dynamodb::config::http::HttpResponse;
use aws_sdk_dynamodb::error::{ProvideErrorMetadata, SdkError};

/// How long dynamodel keeps retrying what DynamoDB did not do: unprocessed
/// batch items and keys, throttled or failed (5xx, lost) requests, and
/// transactions cancelled only by conflicts or throttling.
///
/// Every retry waits a random time between zero and
/// `min(max_delay, base_delay * 2^(retry - 1))` ("full jitter"). The budget
/// ends when `max_attempts` requests have been sent for the same items, or
/// when the next wait would end more than `max_elapsed` after the first
/// request for them (each batch request of 25 writes or 100 keys has its own
/// budget, so a long batch is not cut short by its own length), whichever
/// comes first. The AWS SDK's own retries (a few, for
/// throttling and 5xx) happen inside each of these attempts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    max_elapsed: Option<Duration>,
    base_delay: Duration,
    max_delay: Duration,
}

impl Default for RetryPolicy {
    /// 10 attempts, at most 60 s, delays from 50 ms doubling up to 5 s.
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 10,
            max_elapsed: Some(Duration::from_secs(60)),
            base_delay: Duration::from_millis(50),
            max_delay: Duration::from_secs(5),
        }
    }
}

impl RetryPolicy {
    /// No retries at all: one attempt, and whatever is left is reported.
    pub fn none() -> Self {
        RetryPolicy {
            max_attempts: 1,
            ..RetryPolicy::default()
        }
    }

    /// The most requests sent for the same items (the first one included);
    /// at least 1.
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// The longest time to keep retrying, from the start of the operation
    /// (`None`: only `max_attempts` limits).
    pub fn max_elapsed(mut self, limit: Option<Duration>) -> Self {
        self.max_elapsed = limit;
        self
    }

    /// The cap of the first retry's random wait; it doubles at every retry.
    pub fn base_delay(mut self, delay: Duration) -> Self {
        self.base_delay = delay;
        self
    }

    /// The largest cap of a retry's random wait.
    pub fn max_delay(mut self, delay: Duration) -> Self {
        self.max_delay = delay;
        self
    }

    /// The configured attempt limit.
    pub fn attempts(&self) -> u32 {
        self.max_attempts
    }
}

/// The retry state of one unit of work (a batch request and its leftovers,
/// or one transaction).
#[derive(Debug)]
pub(crate) struct Budget {
    policy: RetryPolicy,
    started: Instant,
    attempts: u32,
}

impl Budget {
    pub(crate) fn new(policy: RetryPolicy, started: Instant) -> Self {
        Budget {
            policy,
            started,
            attempts: 1,
        }
    }

    /// Waits before the next attempt; `false` (without waiting) when the
    /// budget is spent.
    pub(crate) async fn next_attempt(&mut self) -> bool {
        if self.attempts >= self.policy.max_attempts {
            tracing::warn!(
                attempts = self.attempts,
                "retry budget spent: no attempts left"
            );
            return false;
        }
        let exponent = (self.attempts - 1).min(30);
        let cap = self
            .policy
            .base_delay
            .saturating_mul(1u32 << exponent)
            .min(self.policy.max_delay);
        let cap_nanos = u64::try_from(cap.as_nanos()).unwrap_or(u64::MAX);
        let delay = Duration::from_nanos(fastrand::u64(0..=cap_nanos));
        if let Some(limit) = self.policy.max_elapsed {
            if self.started.elapsed() + delay > limit {
                tracing::warn!(
                    attempts = self.attempts,
                    limit_ms = u64::try_from(limit.as_millis()).unwrap_or(u64::MAX),
                    "retry budget spent: time limit reached"
                );
                return false;
            }
        }
        tracing::debug!(
            attempt = self.attempts + 1,
            max_attempts = self.policy.max_attempts,
            delay_ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX),
            "backing off before retrying"
        );
        tokio::time::sleep(delay).await;
        self.attempts += 1;
        true
    }
}

/// Records a failed request that will be retried if the budget allows: its
/// error code only.
pub(crate) fn trace_retryable<E: ProvideErrorMetadata>(
    operation: &'static str,
    err: &SdkError<E, HttpResponse>,
) {
    tracing::warn!(
        operation,
        code = err.code().unwrap_or("none"),
        "request failed with a retryable error"
    );
}

/// Error codes DynamoDB uses for throttling and transient server trouble.
const RETRYABLE_CODES: &[&str] = &[
    "ProvisionedThroughputExceededException",
    "ThrottlingException",
    "RequestLimitExceeded",
    "InternalServerError",
    "ServiceUnavailable",
    "TransactionInProgressException",
];

/// Whether a failed request may be sent again: throttling, 5xx, timeouts and
/// lost connections. Only call this for requests that are safe to repeat
/// (batch puts and deletes, reads, transactions with a client request token).
pub(crate) fn is_retryable<E: ProvideErrorMetadata>(err: &SdkError<E, HttpResponse>) -> bool {
    match err {
        SdkError::TimeoutError(_) | SdkError::DispatchFailure(_) | SdkError::ResponseError(_) => {
            true
        }
        SdkError::ServiceError(service) => {
            service.raw().status().as_u16() >= 500
                || service
                    .err()
                    .code()
                    .is_some_and(|code| RETRYABLE_CODES.contains(&code))
        }
        _ => false,
    }
}
