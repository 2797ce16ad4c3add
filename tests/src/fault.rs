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
//! operation)`, see [`FaultConfig::decide`]; no RNG state is shared between
//! requests. A sequential run is therefore replayed exactly by the same seed.
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
//! proxy.set_config(FaultConfig::seeded(42)); // no more faults, for verification reads
//! println!("{}", proxy.stats());
//! # Ok(())
//! # }
//! ```

use std::fmt;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::client::conn::http1::SendRequest;
use hyper::header::{HeaderMap, HeaderValue, CONTENT_LENGTH, CONTENT_TYPE};
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use serde_json::{Map, Value};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Mutex;
use tokio::task::{JoinHandle, JoinSet};

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

/// Prefix of DynamoDB's error `__type` values.
const ERROR_TYPE_PREFIX: &str = "com.amazonaws.dynamodb.v20120810#";

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

// Independent decision streams, mixed into the per-request hash.
const STREAM_THROTTLE: u64 = 1;
const STREAM_SERVER_ERROR: u64 = 2;
const STREAM_PARTIAL: u64 = 3;
const STREAM_LOST: u64 = 4;
const STREAM_SUBSET: u64 = 5;

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
        let hit = |p: f64, stream: u64| p > 0.0 && unit(hash3(self.seed, seq, stream)) < p;
        let reject = if hit(self.throttle, STREAM_THROTTLE) {
            Some(Rejection::Throttle(self.throttle_error))
        } else if hit(self.server_error, STREAM_SERVER_ERROR) {
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
            partial_batch: is_batch(operation) && hit(self.partial_batch, STREAM_PARTIAL),
            lost_response: hit(self.lost_response, STREAM_LOST),
        }
    }
}

fn is_batch(operation: &str) -> bool {
    operation == "BatchWriteItem" || operation == "BatchGetItem"
}

/// splitmix64's finalizer applied to `x + golden gamma`.
fn splitmix64(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

fn hash3(seed: u64, seq: u64, stream: u64) -> u64 {
    splitmix64(splitmix64(splitmix64(seed) ^ seq) ^ stream)
}

/// Uniform in `[0, 1)`.
fn unit(h: u64) -> f64 {
    (h >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
}

/// A tiny deterministic generator (splitmix64 sequence).
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        splitmix64(self.0)
    }

    /// Uniform in `0..n` (`n > 0`); the modulo bias is irrelevant for tests.
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Which of `n >= 2` batch entries to forward: a non-empty strict subset,
/// chosen deterministically from `(seed, seq)`.
fn keep_mask(seed: u64, seq: u64, n: usize) -> Vec<bool> {
    let mut rng = SplitMix(hash3(seed, seq, STREAM_SUBSET));
    let keep = 1 + rng.below(n - 1);
    let mut order: Vec<usize> = (0..n).collect();
    // Partial Fisher-Yates: the first `keep` positions are the kept entries.
    for i in 0..keep {
        let j = i + rng.below(n - i);
        order.swap(i, j);
    }
    let mut mask = vec![false; n];
    for &i in &order[..keep] {
        mask[i] = true;
    }
    mask
}

/// A snapshot of a proxy's counters; see [`FaultProxy::stats`].
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

#[derive(Default)]
struct Counters {
    requests: AtomicU64,
    eligible: AtomicU64,
    forwarded: AtomicU64,
    throttled: AtomicU64,
    server_errors: AtomicU64,
    partial_batches: AtomicU64,
    withheld: AtomicU64,
    lost_responses: AtomicU64,
    upstream_failures: AtomicU64,
}

fn bump(c: &AtomicU64) {
    c.fetch_add(1, Ordering::Relaxed);
}

struct Shared {
    /// `host:port` of the upstream.
    upstream: String,
    config: RwLock<Arc<FaultConfig>>,
    /// Next sequence number for an eligible request.
    seq: AtomicU64,
    counters: Counters,
}

/// A running fault-injection proxy on `127.0.0.1`; stops when dropped.
///
/// See the [module documentation](self) for the faults and how they are decided.
pub struct FaultProxy {
    addr: SocketAddr,
    shared: Arc<Shared>,
    task: JoinHandle<()>,
}

impl fmt::Debug for FaultProxy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FaultProxy")
            .field("addr", &self.addr)
            .field("upstream", &self.shared.upstream)
            .field("config", &self.config())
            .field("stats", &self.stats())
            .finish()
    }
}

impl FaultProxy {
    /// Starts a proxy on an ephemeral port of `127.0.0.1` forwarding to
    /// `upstream` (`"http://host:port"`, e.g. `"http://127.0.0.1:8000"`).
    ///
    /// Must be called within a Tokio runtime. The upstream is only contacted
    /// when requests arrive. Fails if `upstream` is not a plain `http://` URL or
    /// the listener cannot be bound.
    pub async fn start(upstream: &str, config: FaultConfig) -> std::io::Result<FaultProxy> {
        let upstream = parse_upstream(upstream)?;
        let listener = TcpListener::bind(("127.0.0.1", 0)).await?;
        let addr = listener.local_addr()?;
        let shared = Arc::new(Shared {
            upstream,
            config: RwLock::new(Arc::new(config)),
            seq: AtomicU64::new(0),
            counters: Counters::default(),
        });
        let task = tokio::spawn(accept_loop(listener, shared.clone()));
        Ok(FaultProxy { addr, shared, task })
    }

    /// The endpoint URL to give the SDK: `"http://127.0.0.1:<port>"`.
    pub fn endpoint(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The proxy's listening address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// A snapshot of the counters (they keep running).
    pub fn stats(&self) -> FaultStats {
        let c = &self.shared.counters;
        let get = |a: &AtomicU64| a.load(Ordering::Relaxed);
        FaultStats {
            requests: get(&c.requests),
            eligible: get(&c.eligible),
            forwarded: get(&c.forwarded),
            throttled: get(&c.throttled),
            server_errors: get(&c.server_errors),
            partial_batches: get(&c.partial_batches),
            withheld: get(&c.withheld),
            lost_responses: get(&c.lost_responses),
            upstream_failures: get(&c.upstream_failures),
        }
    }

    /// The current configuration.
    pub fn config(&self) -> FaultConfig {
        (**self.shared.config.read().unwrap_or_else(|e| e.into_inner())).clone()
    }

    /// Replaces the configuration for requests arriving from now on (e.g. no
    /// faults for verification reads). The sequence numbering continues.
    pub fn set_config(&self, config: FaultConfig) {
        *self
            .shared
            .config
            .write()
            .unwrap_or_else(|e| e.into_inner()) = Arc::new(config);
    }
}

impl Drop for FaultProxy {
    fn drop(&mut self) {
        // Dropping the accept loop drops its JoinSet, which aborts every connection.
        self.task.abort();
    }
}

fn parse_upstream(url: &str) -> std::io::Result<String> {
    let invalid = |why: &str| {
        std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!("fault proxy upstream {url:?}: {why}"),
        )
    };
    let rest = url
        .strip_prefix("http://")
        .ok_or_else(|| invalid("expected an http:// URL"))?;
    let authority = rest.trim_end_matches('/');
    if authority.is_empty() || authority.contains('/') || authority.contains('@') {
        return Err(invalid("expected http://host:port"));
    }
    let has_port = match authority.rfind(']') {
        Some(end) => authority[end..].contains(':'),
        None => authority.contains(':'),
    };
    Ok(if has_port {
        authority.to_owned()
    } else {
        format!("{authority}:80")
    })
}

async fn accept_loop(listener: TcpListener, shared: Arc<Shared>) {
    let mut connections = JoinSet::new();
    loop {
        while connections.try_join_next().is_some() {}
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            Err(_) => {
                // E.g. out of file descriptors: back off instead of spinning.
                tokio::time::sleep(std::time::Duration::from_millis(10)).await;
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        connections.spawn(serve_connection(stream, shared.clone()));
    }
}

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// One upstream connection, owned by one client connection.
struct Upstream {
    sender: SendRequest<Full<Bytes>>,
    driver: JoinHandle<()>,
}

impl Drop for Upstream {
    fn drop(&mut self) {
        self.driver.abort();
    }
}

async fn serve_connection(stream: TcpStream, shared: Arc<Shared>) {
    let upstream: Arc<Mutex<Option<Upstream>>> = Arc::new(Mutex::new(None));
    let service = hyper::service::service_fn(move |req| {
        let shared = shared.clone();
        let upstream = upstream.clone();
        async move { handle(&shared, &upstream, req).await }
    });
    let _ = hyper::server::conn::http1::Builder::new()
        .keep_alive(true)
        .serve_connection(TokioIo::new(stream), service)
        .await;
}

/// Why the proxy closes a client connection without answering.
#[derive(Debug)]
enum CloseConnection {
    /// An injected lost response in [`LostResponseMode::DropConnection`].
    LostResponse,
    /// The client's request body could not be read.
    ClientBody(hyper::Error),
}

impl fmt::Display for CloseConnection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CloseConnection::LostResponse => {
                f.write_str("fault proxy: response lost, connection dropped")
            }
            CloseConnection::ClientBody(e) => write!(f, "fault proxy: reading request: {e}"),
        }
    }
}

impl std::error::Error for CloseConnection {}

async fn handle(
    shared: &Shared,
    upstream: &Mutex<Option<Upstream>>,
    req: Request<Incoming>,
) -> Result<Response<Full<Bytes>>, CloseConnection> {
    let counters = &shared.counters;
    bump(&counters.requests);
    let (parts, body) = req.into_parts();
    let body = body
        .collect()
        .await
        .map_err(CloseConnection::ClientBody)?
        .to_bytes();
    let operation = parts
        .headers
        .get("x-amz-target")
        .and_then(|v| v.to_str().ok())
        .and_then(|t| t.split_once('.'))
        .map(|(_, op)| op.to_owned())
        .unwrap_or_default();
    let config = shared
        .config
        .read()
        .unwrap_or_else(|e| e.into_inner())
        .clone();

    if !config.is_eligible(&operation) {
        return Ok(forward_or_502(shared, upstream, parts, body)
            .await
            .into_response());
    }
    let seq = shared.seq.fetch_add(1, Ordering::Relaxed);
    bump(&counters.eligible);
    let decision = config.decide(seq, &operation);

    match decision.reject {
        Some(Rejection::Throttle(kind)) => {
            bump(&counters.throttled);
            return Ok(error_response(
                StatusCode::BAD_REQUEST,
                kind.code(),
                "Request rate exceeds the allowed throughput (injected by the fault proxy)",
                seq,
            ));
        }
        Some(Rejection::ServerError) => {
            bump(&counters.server_errors);
            return Ok(internal_server_error("injected by the fault proxy", seq));
        }
        None => {}
    }

    let split = if decision.partial_batch {
        split_batch(&operation, &body, config.seed, seq)
    } else {
        None
    };
    let (body, withheld) = match split {
        Some((body, withheld)) => (body, Some(withheld)),
        None => (body, None),
    };

    let mut response = match forward_or_502(shared, upstream, parts, body).await {
        Forwarded::Response(r) => r,
        failed @ Forwarded::Failed(_) => return Ok(failed.into_response()),
    };
    if let Some(withheld) = withheld {
        if response.status == StatusCode::OK {
            if let Some(merged) = merge_unprocessed(&response.body, &withheld) {
                response.body = merged;
                bump(&counters.partial_batches);
                counters
                    .withheld
                    .fetch_add(withheld.count as u64, Ordering::Relaxed);
            }
        }
    }
    if decision.lost_response {
        bump(&counters.lost_responses);
        return match config.lost_response_mode {
            LostResponseMode::ServerError => Ok(internal_server_error(
                "response lost after processing (injected by the fault proxy)",
                seq,
            )),
            LostResponseMode::DropConnection => Err(CloseConnection::LostResponse),
        };
    }
    Ok(response.into_response())
}

/// A fully read upstream response.
struct Buffered {
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
}

impl Buffered {
    fn into_response(self) -> Response<Full<Bytes>> {
        let mut headers = self.headers;
        for name in ["connection", "keep-alive", "transfer-encoding"] {
            headers.remove(name);
        }
        headers.insert(CONTENT_LENGTH, HeaderValue::from(self.body.len()));
        if headers.contains_key("x-amz-crc32") {
            headers.insert("x-amz-crc32", HeaderValue::from(crc32(&self.body)));
        }
        let mut response = Response::new(Full::new(self.body));
        *response.status_mut() = self.status;
        *response.headers_mut() = headers;
        response
    }
}

enum Forwarded {
    Response(Buffered),
    Failed(BoxError),
}

impl Forwarded {
    fn into_response(self) -> Response<Full<Bytes>> {
        match self {
            Forwarded::Response(r) => r.into_response(),
            Forwarded::Failed(e) => {
                let body = serde_json::json!({
                    "__type": format!("{ERROR_TYPE_PREFIX}InternalServerError"),
                    "message": format!("fault proxy: upstream failed: {e}"),
                });
                json_response(StatusCode::BAD_GATEWAY, body.to_string(), None)
            }
        }
    }
}

async fn forward_or_502(
    shared: &Shared,
    upstream: &Mutex<Option<Upstream>>,
    parts: hyper::http::request::Parts,
    body: Bytes,
) -> Forwarded {
    match forward(shared, upstream, parts, body).await {
        Ok(r) => Forwarded::Response(r),
        Err(e) => {
            bump(&shared.counters.upstream_failures);
            Forwarded::Failed(e)
        }
    }
}

/// Sends the request upstream with all headers as the client sent them (Host
/// included, so the client's signature stays intact) except the framing ones.
async fn forward(
    shared: &Shared,
    upstream: &Mutex<Option<Upstream>>,
    mut parts: hyper::http::request::Parts,
    body: Bytes,
) -> Result<Buffered, BoxError> {
    for name in ["connection", "keep-alive", "transfer-encoding"] {
        parts.headers.remove(name);
    }
    parts
        .headers
        .insert(CONTENT_LENGTH, HeaderValue::from(body.len()));
    let mut request = Request::from_parts(parts, Full::new(body));

    let mut slot = upstream.lock().await;
    // At most one retry, and only for a request the stale connection never sent.
    for attempt in 0..2 {
        let stale = match slot.as_ref() {
            Some(conn) => conn.sender.is_closed(),
            None => true,
        };
        if stale {
            *slot = Some(connect(&shared.upstream).await?);
        }
        let Some(conn) = slot.as_mut() else {
            unreachable!("connected above")
        };
        let sent = match conn.sender.ready().await {
            Ok(()) => conn.sender.try_send_request(request).await,
            Err(e) => {
                *slot = None;
                if attempt == 0 {
                    continue;
                }
                return Err(BoxError::from(e));
            }
        };
        match sent {
            Ok(response) => {
                bump(&shared.counters.forwarded);
                let (parts, body) = response.into_parts();
                let body = body.collect().await?.to_bytes();
                return Ok(Buffered {
                    status: parts.status,
                    headers: parts.headers,
                    body,
                });
            }
            Err(mut e) => {
                *slot = None;
                match e.take_message() {
                    Some(unsent) if attempt == 0 => request = unsent,
                    _ => {
                        // It may have reached the upstream; don't guess.
                        bump(&shared.counters.forwarded);
                        return Err(BoxError::from(e.into_error()));
                    }
                }
            }
        }
    }
    Err(BoxError::from(
        "fault proxy: upstream connection failed twice",
    ))
}

async fn connect(addr: &str) -> Result<Upstream, BoxError> {
    let stream = TcpStream::connect(addr).await?;
    let _ = stream.set_nodelay(true);
    let (sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream)).await?;
    let driver = tokio::spawn(async move {
        let _ = connection.await;
    });
    Ok(Upstream { sender, driver })
}

fn json_response(status: StatusCode, body: String, seq: Option<u64>) -> Response<Full<Bytes>> {
    let body = Bytes::from(body);
    let mut response = Response::new(Full::new(body.clone()));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(
        CONTENT_TYPE,
        HeaderValue::from_static("application/x-amz-json-1.0"),
    );
    headers.insert(CONTENT_LENGTH, HeaderValue::from(body.len()));
    headers.insert("x-amz-crc32", HeaderValue::from(crc32(&body)));
    let id = match seq {
        Some(seq) => format!("fault-proxy-{seq}"),
        None => "fault-proxy".to_owned(),
    };
    if let Ok(id) = HeaderValue::from_str(&id) {
        headers.insert("x-amzn-requestid", id);
    }
    response
}

fn error_response(
    status: StatusCode,
    code: &str,
    message: &str,
    seq: u64,
) -> Response<Full<Bytes>> {
    let body = serde_json::json!({
        "__type": format!("{ERROR_TYPE_PREFIX}{code}"),
        "message": message,
    });
    json_response(status, body.to_string(), Some(seq))
}

fn internal_server_error(message: &str, seq: u64) -> Response<Full<Bytes>> {
    error_response(
        StatusCode::INTERNAL_SERVER_ERROR,
        "InternalServerError",
        message,
        seq,
    )
}

/// The part of a batch the proxy kept back.
struct Withheld {
    /// `UnprocessedItems` for `BatchWriteItem`, `UnprocessedKeys` for `BatchGetItem`.
    field: &'static str,
    /// Table name to the withheld write requests (an array) or, for
    /// `BatchGetItem`, to the request's `KeysAndAttributes` with the withheld `Keys`.
    tables: Map<String, Value>,
    /// Number of withheld write requests / keys.
    count: usize,
}

/// Splits a batch request body into the part to forward and the part to report
/// unprocessed. `None` when the body is not a splittable batch (fewer than two
/// entries, or not the expected JSON shape), in which case it is forwarded whole.
fn split_batch(operation: &str, body: &[u8], seed: u64, seq: u64) -> Option<(Bytes, Withheld)> {
    let is_get = match operation {
        "BatchWriteItem" => false,
        "BatchGetItem" => true,
        _ => return None,
    };
    let mut request: Value = serde_json::from_slice(body).ok()?;
    let tables = request.get_mut("RequestItems")?.as_object_mut()?;

    // The entries (write requests or keys) of each table, in request order.
    let mut lists = Vec::with_capacity(tables.len());
    for (name, value) in tables.iter() {
        let list = if is_get { value.get("Keys")? } else { value };
        lists.push((name.clone(), list.as_array()?.clone()));
    }
    let total: usize = lists.iter().map(|(_, l)| l.len()).sum();
    if total < 2 {
        return None;
    }
    let mut mask = keep_mask(seed, seq, total).into_iter();

    let mut withheld = Map::new();
    let mut count = 0;
    for (name, list) in lists {
        let (mut kept, mut held) = (Vec::new(), Vec::new());
        for entry in list {
            if mask.next().unwrap_or(true) {
                kept.push(entry);
            } else {
                held.push(entry);
            }
        }
        count += held.len();
        if !held.is_empty() {
            let held = if is_get {
                let mut keys_and_attributes = tables.get(&name)?.clone();
                keys_and_attributes
                    .as_object_mut()?
                    .insert("Keys".into(), Value::Array(held));
                keys_and_attributes
            } else {
                Value::Array(held)
            };
            withheld.insert(name.clone(), held);
        }
        if kept.is_empty() {
            tables.remove(&name);
        } else if is_get {
            tables
                .get_mut(&name)?
                .as_object_mut()?
                .insert("Keys".into(), Value::Array(kept));
        } else {
            tables.insert(name, Value::Array(kept));
        }
    }
    let field = if is_get {
        "UnprocessedKeys"
    } else {
        "UnprocessedItems"
    };
    let body = Bytes::from(serde_json::to_vec(&request).ok()?);
    Some((
        body,
        Withheld {
            field,
            tables: withheld,
            count,
        },
    ))
}

/// Adds the withheld entries to the unprocessed ones of a successful batch
/// response. `None` if the response is not a JSON object.
fn merge_unprocessed(response: &[u8], withheld: &Withheld) -> Option<Bytes> {
    let mut response: Value = serde_json::from_slice(response).ok()?;
    let object = response.as_object_mut()?;
    let unprocessed = object
        .entry(withheld.field)
        .or_insert_with(|| Value::Object(Map::new()));
    if !unprocessed.is_object() {
        *unprocessed = Value::Object(Map::new());
    }
    let unprocessed = unprocessed.as_object_mut()?;
    for (table, held) in &withheld.tables {
        match unprocessed.get_mut(table) {
            None => {
                unprocessed.insert(table.clone(), held.clone());
            }
            Some(existing) => {
                let (target, extra) = if withheld.field == "UnprocessedKeys" {
                    (existing.get_mut("Keys"), held.get("Keys"))
                } else {
                    (Some(existing), Some(held))
                };
                match (
                    target.and_then(Value::as_array_mut),
                    extra.and_then(Value::as_array),
                ) {
                    (Some(target), Some(extra)) => target.extend(extra.iter().cloned()),
                    _ => return None,
                }
            }
        }
    }
    serde_json::to_vec(&response).ok().map(Bytes::from)
}

/// CRC-32 (IEEE), as in DynamoDB's `x-amz-crc32` response header.
fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &byte in data {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            let mask = (crc & 1).wrapping_neg();
            crc = (crc >> 1) ^ (0xEDB8_8320 & mask);
        }
    }
    !crc
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

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

    #[test]
    fn keep_mask_is_a_nonempty_strict_subset() {
        for n in 2..40 {
            for seq in 0..50 {
                let kept = keep_mask(3, seq, n).iter().filter(|k| **k).count();
                assert!((1..n).contains(&kept), "n={n} kept={kept}");
            }
        }
    }

    #[test]
    fn write_split_and_merge() {
        let items: Vec<Value> = (0..10)
            .map(|i| json!({"PutRequest": {"Item": {"pk": {"S": format!("k{i}")}}}}))
            .collect();
        let body = json!({"RequestItems": {"t1": items[..6], "t2": items[6..]}, "ReturnConsumedCapacity": "NONE"});
        let (forwarded, withheld) =
            split_batch("BatchWriteItem", body.to_string().as_bytes(), 9, 4).unwrap();
        let forwarded: Value = serde_json::from_slice(&forwarded).unwrap();
        assert_eq!(forwarded["ReturnConsumedCapacity"], "NONE");
        let count = |v: &Value| {
            v.as_object()
                .unwrap()
                .values()
                .map(|l| l.as_array().unwrap().len())
                .sum::<usize>()
        };
        let sent = count(&forwarded["RequestItems"]);
        assert_eq!(sent + withheld.count, 10);
        assert!(sent >= 1 && withheld.count >= 1);

        let upstream = json!({"UnprocessedItems": {"t1": [json!({"PutRequest": {"Item": {"pk": {"S": "other"}}}})]}});
        let merged = merge_unprocessed(upstream.to_string().as_bytes(), &withheld).unwrap();
        let merged: Value = serde_json::from_slice(&merged).unwrap();
        assert_eq!(count(&merged["UnprocessedItems"]), withheld.count + 1);
    }

    #[test]
    fn get_split_keeps_request_attributes() {
        let keys: Vec<Value> = (0..8)
            .map(|i| json!({"pk": {"S": format!("k{i}")}}))
            .collect();
        let body = json!({"RequestItems": {"t": {
            "Keys": keys,
            "ProjectionExpression": "#p",
            "ExpressionAttributeNames": {"#p": "pk"},
            "ConsistentRead": true,
        }}});
        let (forwarded, withheld) =
            split_batch("BatchGetItem", body.to_string().as_bytes(), 1, 2).unwrap();
        let forwarded: Value = serde_json::from_slice(&forwarded).unwrap();
        let sent = forwarded["RequestItems"]["t"]["Keys"]
            .as_array()
            .unwrap()
            .len();
        assert_eq!(sent + withheld.count, 8);

        let merged =
            merge_unprocessed(br#"{"Responses":{"t":[]},"UnprocessedKeys":{}}"#, &withheld)
                .unwrap();
        let merged: Value = serde_json::from_slice(&merged).unwrap();
        let unprocessed = &merged["UnprocessedKeys"]["t"];
        assert_eq!(
            unprocessed["Keys"].as_array().unwrap().len(),
            withheld.count
        );
        assert_eq!(unprocessed["ProjectionExpression"], "#p");
        assert_eq!(unprocessed["ExpressionAttributeNames"]["#p"], "pk");
        assert_eq!(unprocessed["ConsistentRead"], true);
    }

    #[test]
    fn single_entry_batches_are_not_split() {
        let body = json!({"RequestItems": {"t": [{"DeleteRequest": {"Key": {"pk": {"S": "a"}}}}]}});
        assert!(split_batch("BatchWriteItem", body.to_string().as_bytes(), 1, 1).is_none());
    }

    #[test]
    fn crc32_matches_known_value() {
        // DynamoDB Local's x-amz-crc32 for `{"TableNames":[]}`.
        assert_eq!(crc32(br#"{"TableNames":[]}"#), 1_315_925_753);
    }

    #[test]
    fn upstream_urls() {
        assert_eq!(
            parse_upstream("http://127.0.0.1:8000").unwrap(),
            "127.0.0.1:8000"
        );
        assert_eq!(
            parse_upstream("http://localhost:8000/").unwrap(),
            "localhost:8000"
        );
        assert_eq!(parse_upstream("http://localhost").unwrap(), "localhost:80");
        assert!(parse_upstream("https://127.0.0.1:8000").is_err());
        assert!(parse_upstream("127.0.0.1:8000").is_err());
    }
}
