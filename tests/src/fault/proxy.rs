//! The proxy itself: the listener, one task per client connection, and the
//! per-request flow (count → decide → reject, or forward with a partial batch
//! and/or a lost response).

use std::fmt;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use tokio::net::{TcpListener, TcpStream};
use tokio::task::{JoinHandle, JoinSet};

use super::batch_json::{merge_unprocessed, split_batch};
use super::config::{FaultConfig, LostResponseMode, Rejection};
use super::response::{error_response, internal_server_error};
use super::stats::{add, bump, Counters, FaultStats};
use super::upstream::{parse_upstream, Forwarded, Upstream};

/// What the listener and every connection task share.
struct Shared {
    /// `host:port` of the upstream.
    upstream: String,
    config: RwLock<Arc<FaultConfig>>,
    /// Next sequence number for an eligible request.
    seq: AtomicU64,
    counters: Counters,
}

impl Shared {
    /// The configuration as it is now.
    fn config(&self) -> Arc<FaultConfig> {
        self.config
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }
}

/// A running fault-injection proxy on `127.0.0.1`; stops when dropped.
///
/// See the [module documentation](super) for the faults and how they are decided.
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
        self.shared.counters.snapshot()
    }

    /// The current configuration.
    pub fn config(&self) -> FaultConfig {
        (*self.shared.config()).clone()
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

    /// Turns every fault off for requests arriving from now on, keeping the
    /// seed: `set_config(FaultConfig::seeded(seed))`, e.g. for verification reads.
    pub fn faults_off(&self) {
        self.set_config(FaultConfig::seeded(self.shared.config().seed));
    }
}

impl Drop for FaultProxy {
    fn drop(&mut self) {
        // Dropping the accept loop drops its JoinSet, which aborts every connection.
        self.task.abort();
    }
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

async fn serve_connection(stream: TcpStream, shared: Arc<Shared>) {
    let upstream = Arc::new(Upstream::new(shared.upstream.clone()));
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

/// The operation named by the `X-Amz-Target` header (`DynamoDB_20120810.PutItem`
/// → `PutItem`); empty when there is none.
fn operation_of(headers: &hyper::HeaderMap) -> String {
    headers
        .get("x-amz-target")
        .and_then(|v| v.to_str().ok())
        .and_then(|t| t.split_once('.'))
        .map(|(_, op)| op.to_owned())
        .unwrap_or_default()
}

async fn handle(
    shared: &Shared,
    upstream: &Upstream,
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
    let operation = operation_of(&parts.headers);
    let config = shared.config();

    if !config.is_eligible(&operation) {
        return Ok(upstream
            .forward_or_502(counters, parts, body)
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
                Some(seq),
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

    let mut response = match upstream.forward_or_502(counters, parts, body).await {
        Forwarded::Response(r) => r,
        failed @ Forwarded::Failed(_) => return Ok(failed.into_response()),
    };
    if let Some(withheld) = withheld {
        if response.status == StatusCode::OK {
            if let Some(merged) = merge_unprocessed(&response.body, &withheld) {
                response.body = merged;
                bump(&counters.partial_batches);
                add(&counters.withheld, withheld.count as u64);
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
