//! A seeded fault-injection proxy for DynamoDB, for tests.
//!
//! [`FaultProxy`] listens on `127.0.0.1` and forwards DynamoDB's JSON-over-HTTP/1.1
//! protocol to an upstream endpoint (normally DynamoDB Local). For a configurable
//! share of requests it injects failures instead of, or on top of, forwarding:
//!
//! * **throttle** — answers `400` with a throttling error
//!   (`ProvisionedThroughputExceededException` by default) without forwarding;
//! * **server error** — answers `500 InternalServerError` without forwarding;
//! * **partial batch** — for `BatchWriteItem` / `BatchGetItem` only, forwards a
//!   random non-empty strict subset of the write requests / keys and reports the
//!   rest in `UnprocessedItems` / `UnprocessedKeys` of the real response, merged
//!   with whatever the upstream itself left unprocessed;
//! * **lost response** — forwards the request (so a write really happens) and
//!   then answers `500 InternalServerError`, or drops the connection, instead of
//!   returning the real response.
//!
//! # Determinism
//!
//! Every request whose operation is eligible (see [`FaultConfig::operations`])
//! gets a sequence number: `0` for the first eligible request the proxy sees, `1`
//! for the next, and so on. Whether a fault is injected, and which items a
//! partial batch withholds, is a pure function of `(seed, sequence number,
//! operation)`, see [`FaultConfig::decide`]: each decision draws from a ChaCha8
//! generator keyed by the seed and the kind of decision, on the stream numbered
//! by the sequence number, so no RNG state is shared between requests. A sequential run is therefore replayed exactly by the same seed.
//! With concurrent requests the decisions per sequence number are still fixed,
//! but which request receives which number depends on arrival order.
//!
//! Control-plane requests (`CreateTable`, `DescribeTable`, ...) are forwarded
//! untouched by default and do not consume sequence numbers, so test setup
//! neither gets disturbed nor shifts the fault sequence.
//!
//! # Example
//!
//! ```no_run
//! use dynamodel_tests::fault::{FaultConfig, FaultProxy};
//!
//! # async fn demo() -> std::io::Result<()> {
//! let proxy = FaultProxy::start(
//!     "http://127.0.0.1:8000",
//!     FaultConfig { throttle: 0.2, partial_batch: 0.5, ..FaultConfig::seeded(42) },
//! )
//! .await?;
//! // Point the SDK client at `proxy.endpoint()`, run the workload, then:
//! proxy.faults_off(); // no more faults, for verification reads
//! println!("{}", proxy.stats());
//! # Ok(())
//! # }
//! ```

//!
//! # Layout
//!
//! * `config` — what to inject ([`FaultConfig`]) and the per-request [`Decision`];
//! * `rng` — the seeded draws behind every decision;
//! * `batch_json` — splitting a batch request and merging the withheld part
//!   into the response's unprocessed entries;
//! * `proxy` — the listener and the per-request flow ([`FaultProxy`]);
//! * `upstream` — forwarding to the upstream over a kept-alive connection;
//! * `response` — the HTTP answers the proxy writes itself;
//! * `stats` — the counters ([`FaultStats`]).

mod batch_json;
mod config;
mod proxy;
mod response;
mod rng;
mod stats;
mod upstream;

pub use config::{
    Decision, FaultConfig, LostResponseMode, Rejection, ThrottleError, DATA_PLANE_OPERATIONS,
};
pub use proxy::FaultProxy;
pub use stats::FaultStats;
