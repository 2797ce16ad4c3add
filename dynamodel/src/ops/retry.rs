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
        let Some(delay) = self.next_delay(self.started.elapsed(), full_jitter) else {
            if self.attempts >= self.policy.max_attempts {
                tracing::warn!(
                    attempts = self.attempts,
                    "retry budget spent: no attempts left"
                );
            } else {
                tracing::warn!(
                    attempts = self.attempts,
                    "retry budget spent: time limit reached"
                );
            }
            return false;
        };
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

    /// The wait before the next attempt, `elapsed` after the first one, with
    /// `jitter` picking it below the cap; `None` when the budget is spent.
    /// Pure (the clock and the dice are the caller's), so it is unit-tested.
    fn next_delay(
        &self,
        elapsed: Duration,
        jitter: impl FnOnce(Duration) -> Duration,
    ) -> Option<Duration> {
        if self.attempts >= self.policy.max_attempts {
            return None;
        }
        let delay = jitter(self.policy.delay_cap(self.attempts));
        match self.policy.max_elapsed {
            Some(limit) if elapsed + delay > limit => None,
            _ => Some(delay),
        }
    }
}

impl RetryPolicy {
    /// The cap of the random wait before retry number `retry` (from 1):
    /// `min(max_delay, base_delay * 2^(retry - 1))`.
    fn delay_cap(&self, retry: u32) -> Duration {
        let exponent = retry.saturating_sub(1).min(30);
        self.base_delay
            .saturating_mul(1u32 << exponent)
            .min(self.max_delay)
    }
}

/// Full jitter: a uniformly random wait between zero and `cap`.
fn full_jitter(cap: Duration) -> Duration {
    let cap_nanos = u64::try_from(cap.as_nanos()).unwrap_or(u64::MAX);
    Duration::from_nanos(fastrand::u64(0..=cap_nanos))
}

/// Records a failed request that will be retried if the budget allows: its
/// error code only.
#[cold]
#[inline(never)]
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

/// Whether DynamoDB answered a failed request and so did none of it (a 4xx
/// error: validation, throttling, a failed condition). A 5xx, a timeout or a
/// lost connection does not tell whether the request was carried out.
pub(crate) fn was_refused<E>(err: &SdkError<E, HttpResponse>) -> bool {
    matches!(err, SdkError::ServiceError(service) if service.raw().status().as_u16() < 500)
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_dynamodb::operation::get_item::GetItemError;
    use aws_smithy_types::body::SdkBody;
    use aws_smithy_types::error::ErrorMetadata;

    const MS: Duration = Duration::from_millis(1);

    fn budget(policy: RetryPolicy, attempts: u32) -> Budget {
        Budget {
            policy,
            started: Instant::now(),
            attempts,
        }
    }

    /// The largest wait the policy allows (jitter picking the cap).
    fn at_cap(cap: Duration) -> Duration {
        cap
    }

    #[test]
    fn default_and_none_policies() {
        let default = RetryPolicy::default();
        assert_eq!(default.attempts(), 10);
        assert_eq!(default.max_elapsed, Some(Duration::from_secs(60)));
        assert_eq!(default.base_delay, 50 * MS);
        assert_eq!(default.max_delay, Duration::from_secs(5));
        let none = RetryPolicy::none();
        assert_eq!(none.attempts(), 1);
        assert_eq!(none, default.max_attempts(1), "only the attempts differ");
        assert_eq!(budget(none, 1).next_delay(Duration::ZERO, at_cap), None);
    }

    #[test]
    fn setters_set_and_attempts_are_at_least_one() {
        let policy = RetryPolicy::default()
            .max_attempts(0)
            .max_elapsed(None)
            .base_delay(7 * MS)
            .max_delay(9 * MS);
        assert_eq!(policy.attempts(), 1);
        assert_eq!(RetryPolicy::default().max_attempts(3).attempts(), 3);
        assert_eq!(policy.max_elapsed, None);
        assert_eq!(policy.base_delay, 7 * MS);
        assert_eq!(policy.max_delay, 9 * MS);
    }

    #[test]
    fn the_cap_doubles_from_the_base_up_to_the_max() {
        let policy = RetryPolicy::default();
        let caps: Vec<u64> = (1..=10)
            .map(|retry| policy.delay_cap(retry).as_millis() as u64)
            .collect();
        assert_eq!(caps, [50, 100, 200, 400, 800, 1600, 3200, 5000, 5000, 5000]);
        // Far retries neither overflow nor pass the max.
        assert_eq!(policy.delay_cap(u32::MAX), Duration::from_secs(5));
        let unbounded = policy.max_delay(Duration::MAX);
        assert_eq!(unbounded.delay_cap(3), 200 * MS);
        assert_eq!(unbounded.delay_cap(40), 50 * MS * (1 << 30));
    }

    #[test]
    fn the_schedule_follows_the_attempt_count() {
        let policy = RetryPolicy::default().max_elapsed(None);
        let delays: Vec<Option<Duration>> = (1..=10)
            .map(|attempts| budget(policy, attempts).next_delay(Duration::ZERO, at_cap))
            .collect();
        let expected: Vec<Option<Duration>> = [50, 100, 200, 400, 800, 1600, 3200, 5000, 5000]
            .into_iter()
            .map(|ms| Some(ms * MS))
            .chain([None])
            .collect();
        assert_eq!(delays, expected, "9 retries after the first of 10 attempts");
        // The jitter picks below the cap it is given.
        let picked = budget(policy, 3).next_delay(Duration::ZERO, |cap| cap / 4);
        assert_eq!(picked, Some(50 * MS));
        for _ in 0..100 {
            assert!(full_jitter(200 * MS) <= 200 * MS);
        }
        assert_eq!(full_jitter(Duration::ZERO), Duration::ZERO);
        // Random, not always nothing (the odds of 100 zeros are 1e-900).
        assert!((0..100).any(|_| full_jitter(Duration::from_secs(1)) > 500 * MS));
    }

    #[test]
    fn the_time_limit_counts_the_next_wait() {
        // Default policy: at most 60 s; the first retry's cap is 50 ms.
        let fresh = budget(RetryPolicy::default(), 1);
        let limit = Duration::from_secs(60);
        assert_eq!(fresh.next_delay(MS, at_cap), Some(50 * MS), "early: retry");
        assert_eq!(
            fresh.next_delay(limit - 50 * MS, at_cap),
            Some(50 * MS),
            "a wait ending exactly at the limit is allowed"
        );
        assert_eq!(
            fresh.next_delay(limit - 49 * MS, at_cap),
            None,
            "a wait ending past the limit is not"
        );
        assert_eq!(fresh.next_delay(limit * 2, at_cap), None);
        // Without a limit only the attempts count.
        let unlimited = budget(RetryPolicy::default().max_elapsed(None), 1);
        assert_eq!(unlimited.next_delay(limit * 2, at_cap), Some(50 * MS));
    }

    #[tokio::test]
    async fn next_attempt_counts_attempts_under_the_default_time_limit() {
        // Zero waits, so the default 60 s limit is checked but never reached.
        let policy = RetryPolicy::default()
            .max_attempts(3)
            .base_delay(Duration::ZERO);
        let mut budget = Budget::new(policy, Instant::now());
        assert!(budget.next_attempt().await, "2nd attempt");
        assert!(budget.next_attempt().await, "3rd attempt");
        assert!(!budget.next_attempt().await, "no 4th");
        assert_eq!(budget.attempts, 3);
        let mut late = Budget::new(policy, Instant::now() - Duration::from_secs(61));
        assert!(!late.next_attempt().await, "past the time limit");
        assert_eq!(late.attempts, 1);
    }

    fn service_error(status: u16, code: &str) -> SdkError<GetItemError, HttpResponse> {
        let err = GetItemError::generic(ErrorMetadata::builder().code(code).build());
        let raw = HttpResponse::new(status.try_into().expect("a status"), SdkBody::empty());
        SdkError::service_error(err, raw)
    }

    #[test]
    fn retryable_errors() {
        for code in RETRYABLE_CODES {
            assert!(is_retryable(&service_error(400, code)), "{code}");
        }
        assert!(is_retryable(&service_error(500, "Whatever")), "5xx");
        assert!(is_retryable(&service_error(503, "Whatever")), "5xx");
        assert!(!is_retryable(&service_error(400, "ValidationException")));
        assert!(!is_retryable(&service_error(
            499,
            "ConditionalCheckFailedException"
        )));
        let timeout: SdkError<GetItemError, HttpResponse> =
            SdkError::timeout_error("took too long");
        assert!(is_retryable(&timeout));
        let construction: SdkError<GetItemError, HttpResponse> =
            SdkError::construction_failure("bad input");
        assert!(!is_retryable(&construction));
        assert!(!was_refused(&construction), "not an answer");
        assert!(!was_refused(&timeout));
        assert!(was_refused(&service_error(400, "ThrottlingException")));
        assert!(was_refused(&service_error(499, "Whatever")));
        assert!(!was_refused(&service_error(500, "InternalServerError")));
    }
}
