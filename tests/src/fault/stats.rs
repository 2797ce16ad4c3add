//! The proxy's counters: live atomics ([`Counters`]) and their snapshot
//! ([`FaultStats`]).

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};

/// A snapshot of a proxy's counters; see [`FaultProxy::stats`](super::FaultProxy::stats).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct FaultStats {
    /// Requests received.
    pub requests: u64,
    /// Requests whose operation was eligible for faults (= sequence numbers used).
    pub eligible: u64,
    /// Requests sent upstream (including partial batches and lost responses).
    pub forwarded: u64,
    /// Throttling errors injected.
    pub throttled: u64,
    /// `500 InternalServerError`s injected without forwarding.
    pub server_errors: u64,
    /// Batches split into processed and injected-unprocessed parts.
    pub partial_batches: u64,
    /// Write requests / keys withheld by partial batches and reported unprocessed.
    pub withheld: u64,
    /// Responses lost after forwarding.
    pub lost_responses: u64,
    /// Requests that could not be forwarded because the upstream failed
    /// (answered `502 Bad Gateway`).
    pub upstream_failures: u64,
}

impl FaultStats {
    /// Total faults injected (throttles, server errors, partial batches, lost responses).
    pub fn faults(&self) -> u64 {
        self.throttled + self.server_errors + self.partial_batches + self.lost_responses
    }
}

impl fmt::Display for FaultStats {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "requests={} eligible={} forwarded={} throttled={} server_errors={} \
             partial_batches={} (withheld={}) lost_responses={} upstream_failures={}",
            self.requests,
            self.eligible,
            self.forwarded,
            self.throttled,
            self.server_errors,
            self.partial_batches,
            self.withheld,
            self.lost_responses,
            self.upstream_failures
        )
    }
}

/// The live counters behind [`FaultStats`], one per field.
#[derive(Default)]
pub(super) struct Counters {
    pub(super) requests: AtomicU64,
    pub(super) eligible: AtomicU64,
    pub(super) forwarded: AtomicU64,
    pub(super) throttled: AtomicU64,
    pub(super) server_errors: AtomicU64,
    pub(super) partial_batches: AtomicU64,
    pub(super) withheld: AtomicU64,
    pub(super) lost_responses: AtomicU64,
    pub(super) upstream_failures: AtomicU64,
}

impl Counters {
    /// The counters as they are now (they keep running).
    pub(super) fn snapshot(&self) -> FaultStats {
        let get = |a: &AtomicU64| a.load(Ordering::Relaxed);
        FaultStats {
            requests: get(&self.requests),
            eligible: get(&self.eligible),
            forwarded: get(&self.forwarded),
            throttled: get(&self.throttled),
            server_errors: get(&self.server_errors),
            partial_batches: get(&self.partial_batches),
            withheld: get(&self.withheld),
            lost_responses: get(&self.lost_responses),
            upstream_failures: get(&self.upstream_failures),
        }
    }
}

/// Adds one to `counter`.
pub(super) fn bump(counter: &AtomicU64) {
    add(counter, 1);
}

/// Adds `n` to `counter`.
pub(super) fn add(counter: &AtomicU64, n: u64) {
    counter.fetch_add(n, Ordering::Relaxed);
}
