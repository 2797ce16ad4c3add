//! What the proxy injects ([`FaultConfig`]) and the faults of one request
//! ([`Decision`]), decided as a pure function of the seed and the request's
//! sequence number.

use super::rng::{chance, Draw};

/// The DynamoDB data-plane operations: the operations eligible for faults when
/// [`FaultConfig::operations`] is `None`.
pub const DATA_PLANE_OPERATIONS: &[&str] = &[
    "GetItem",
    "PutItem",
    "UpdateItem",
    "DeleteItem",
    "Query",
    "Scan",
    "BatchGetItem",
    "BatchWriteItem",
    "TransactGetItems",
    "TransactWriteItems",
    "ExecuteStatement",
    "BatchExecuteStatement",
    "ExecuteTransaction",
];

/// Which throttling error an injected throttle answers with (always HTTP 400).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum ThrottleError {
    /// `ProvisionedThroughputExceededException`.
    #[default]
    ProvisionedThroughputExceeded,
    /// `ThrottlingException`.
    Throttling,
    /// `RequestLimitExceeded`.
    RequestLimitExceeded,
}

impl ThrottleError {
    /// The error code, as the SDK reports it (e.g. `"ThrottlingException"`).
    pub fn code(self) -> &'static str {
        match self {
            ThrottleError::ProvisionedThroughputExceeded => {
                "ProvisionedThroughputExceededException"
            }
            ThrottleError::Throttling => "ThrottlingException",
            ThrottleError::RequestLimitExceeded => "RequestLimitExceeded",
        }
    }
}

/// How a lost response is presented to the client.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum LostResponseMode {
    /// Answer `500 InternalServerError` after the upstream has processed the request.
    #[default]
    ServerError,
    /// Close the connection without any answer after the upstream has processed
    /// the request (the client sees an I/O error).
    DropConnection,
}

/// What the proxy injects, and how often.
///
/// Probabilities are in `[0, 1]` and are decided independently per request (see
/// [`FaultConfig::decide`]): a request is first considered for a throttle, then
/// (if not throttled) for a server error; a request rejected by either is not
/// forwarded. A forwarded batch request is considered for a partial batch, and
/// any forwarded request for a lost response; the two can coincide.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FaultConfig {
    /// Seed of all fault decisions.
    pub seed: u64,
    /// Probability of answering with a throttling error without forwarding.
    pub throttle: f64,
    /// Probability of answering `500 InternalServerError` without forwarding.
    pub server_error: f64,
    /// Probability that a `BatchWriteItem` / `BatchGetItem` is only partially
    /// processed. Batches of fewer than two requests / keys are never split;
    /// at least one entry is always forwarded (DynamoDB throttles a batch it
    /// cannot process at all). If the upstream rejects the forwarded part (e.g. a
    /// `ValidationException`), that error is returned as it is.
    pub partial_batch: f64,
    /// Probability that a forwarded request's response is lost.
    pub lost_response: f64,
    /// The throttling error to answer with.
    pub throttle_error: ThrottleError,
    /// How a lost response appears to the client.
    pub lost_response_mode: LostResponseMode,
    /// Operations eligible for faults, by name (e.g. `"PutItem"`); `None` means
    /// [`DATA_PLANE_OPERATIONS`]. Ineligible requests are forwarded untouched and
    /// take no sequence number.
    pub operations: Option<Vec<String>>,
}

/// Which faults apply to one request; computed by [`FaultConfig::decide`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Decision {
    /// Reject without forwarding.
    pub reject: Option<Rejection>,
    /// Forward only part of the batch and report the rest as unprocessed.
    pub partial_batch: bool,
    /// Forward, then lose the response.
    pub lost_response: bool,
}

impl Decision {
    /// Whether any fault applies.
    pub fn is_fault(&self) -> bool {
        self.reject.is_some() || self.partial_batch || self.lost_response
    }
}

/// A fault that answers a request without forwarding it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Rejection {
    /// HTTP 400 with the given throttling error.
    Throttle(ThrottleError),
    /// HTTP 500 `InternalServerError`.
    ServerError,
}

impl FaultConfig {
    /// A configuration with the given seed and no faults (a transparent proxy).
    pub fn seeded(seed: u64) -> Self {
        FaultConfig {
            seed,
            ..FaultConfig::default()
        }
    }

    /// Whether `operation` (e.g. `"PutItem"`) is eligible for faults.
    pub fn is_eligible(&self, operation: &str) -> bool {
        match &self.operations {
            Some(ops) => ops.iter().any(|o| o == operation),
            None => DATA_PLANE_OPERATIONS.contains(&operation),
        }
    }

    /// The faults for the eligible request with sequence number `seq` (0-based,
    /// counting eligible requests only) and operation `operation`.
    ///
    /// A pure function of `(self, seq, operation)`. Ineligible operations get no
    /// fault; `partial_batch` is only ever set for `BatchWriteItem` and
    /// `BatchGetItem`.
    pub fn decide(&self, seq: u64, operation: &str) -> Decision {
        if !self.is_eligible(operation) {
            return Decision::default();
        }
        let hit = |p: f64, draw: Draw| chance(self.seed, seq, draw, p);
        let reject = if hit(self.throttle, Draw::Throttle) {
            Some(Rejection::Throttle(self.throttle_error))
        } else if hit(self.server_error, Draw::ServerError) {
            Some(Rejection::ServerError)
        } else {
            None
        };
        if reject.is_some() {
            return Decision {
                reject,
                ..Decision::default()
            };
        }
        Decision {
            reject: None,
            partial_batch: is_batch(operation) && hit(self.partial_batch, Draw::PartialBatch),
            lost_response: hit(self.lost_response, Draw::LostResponse),
        }
    }
}

fn is_batch(operation: &str) -> bool {
    operation == "BatchWriteItem" || operation == "BatchGetItem"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decisions_are_pure_and_seed_dependent() {
        let config = FaultConfig {
            throttle: 0.2,
            server_error: 0.2,
            partial_batch: 0.5,
            lost_response: 0.3,
            ..FaultConfig::seeded(7)
        };
        let a: Vec<_> = (0..200)
            .map(|i| config.decide(i, "BatchWriteItem"))
            .collect();
        let b: Vec<_> = (0..200)
            .map(|i| config.decide(i, "BatchWriteItem"))
            .collect();
        assert_eq!(a, b);
        let other = FaultConfig {
            seed: 8,
            ..config.clone()
        };
        let c: Vec<_> = (0..200)
            .map(|i| other.decide(i, "BatchWriteItem"))
            .collect();
        assert_ne!(a, c);
        let throttles = a
            .iter()
            .filter(|d| matches!(d.reject, Some(Rejection::Throttle(_))))
            .count();
        assert!((20..=60).contains(&throttles), "{throttles}");
        assert!(a.iter().any(|d| d.partial_batch && d.lost_response));
        assert!(a
            .iter()
            .all(|d| d.reject.is_none() || (!d.partial_batch && !d.lost_response)));
        // Never partial for non-batch operations, never anything for control plane.
        assert!((0..200).all(|i| !config.decide(i, "PutItem").partial_batch));
        assert!((0..200).all(|i| !config.decide(i, "CreateTable").is_fault()));
    }

    #[test]
    fn certain_and_impossible_rates() {
        let always = FaultConfig {
            lost_response: 1.0,
            ..FaultConfig::seeded(1)
        };
        assert!((0..100).all(|i| always.decide(i, "PutItem").lost_response));
        let never = FaultConfig::seeded(1);
        assert!((0..100).all(|i| !never.decide(i, "PutItem").is_fault()));
    }
}
