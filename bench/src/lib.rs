//! The workload benchmark of dynamodel: the same DynamoDB work written once
//! with dynamodel and once by hand on aws-sdk-dynamodb, run interleaved in
//! one process, with the client's own CPU measured per phase.
//!
//! * [`model`] — the 12-field model and its hand-written conversions;
//! * `alloc_count` (feature `count-allocs`) — a global allocator counting
//!   allocations, for `--profile`;
//! * [`counting`] — an interceptor counting the requests each client sends,
//!   so both sides are checked to make the same requests;
//! * [`null_http`] — an HTTP client answering canned valid responses, so the
//!   library's own cost is measured without the network or DynamoDB Local;
//! * [`usage`] — the process's CPU time and peak memory (`getrusage`);
//! * [`workload`] — the phases, through dynamodel ([`workload::with_dynamodel`])
//!   and by hand ([`workload::by_hand`]).
//!
//! Run it with `cargo run --release -p dynamodel-bench -- --items 2000`
//! (add `--null-http` to leave the network out); see `BENCHMARKS.md`.

#[cfg(feature = "count-allocs")]
pub mod alloc_count;
pub mod counting;
pub mod model;
pub mod null_http;
pub mod report;
pub mod usage;
pub mod workload;
