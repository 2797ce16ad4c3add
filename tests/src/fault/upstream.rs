//! Forwarding to the upstream: one kept-alive HTTP/1.1 connection per client
//! connection, opened on first use and reopened when it goes stale; a request
//! is resent only when the stale connection never sent it, so a forwarded write
//! happens at most once.

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::client::conn::http1::SendRequest;
use hyper::header::{HeaderMap, HeaderValue, CONTENT_LENGTH};
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;
use tokio::sync::Mutex;
use tokio::task::JoinHandle;

use super::response::{crc32_header, error_response};
use super::stats::{bump, Counters};

/// Connection-level headers, never passed on in either direction.
const HOP_BY_HOP_HEADERS: [&str; 3] = ["connection", "keep-alive", "transfer-encoding"];

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// `host:port` of a plain `http://host[:port][/]` URL (port 80 when absent).
pub(super) fn parse_upstream(url: &str) -> std::io::Result<String> {
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

/// The upstream side of one client connection.
pub(super) struct Upstream {
    /// `host:port` of the upstream.
    addr: String,
    /// The open connection, if any; requests of one client connection take turns.
    connection: Mutex<Option<Connection>>,
}

/// One open upstream connection and the task driving it.
struct Connection {
    sender: SendRequest<Full<Bytes>>,
    driver: JoinHandle<()>,
}

impl Drop for Connection {
    fn drop(&mut self) {
        self.driver.abort();
    }
}

/// A fully read upstream response.
pub(super) struct Buffered {
    pub(super) status: StatusCode,
    headers: HeaderMap,
    pub(super) body: Bytes,
}

impl Buffered {
    /// The response to give the client, re-framed for a body the proxy may have changed.
    pub(super) fn into_response(self) -> Response<Full<Bytes>> {
        let mut headers = self.headers;
        for name in HOP_BY_HOP_HEADERS {
            headers.remove(name);
        }
        headers.insert(CONTENT_LENGTH, HeaderValue::from(self.body.len()));
        if headers.contains_key("x-amz-crc32") {
            headers.insert("x-amz-crc32", crc32_header(&self.body));
        }
        let mut response = Response::new(Full::new(self.body));
        *response.status_mut() = self.status;
        *response.headers_mut() = headers;
        response
    }
}

/// The outcome of forwarding one request.
pub(super) enum Forwarded {
    /// The upstream answered.
    Response(Buffered),
    /// The upstream could not be reached or failed mid-request.
    Failed(BoxError),
}

impl Forwarded {
    /// The response to give the client: the upstream's, or `502 Bad Gateway`.
    pub(super) fn into_response(self) -> Response<Full<Bytes>> {
        match self {
            Forwarded::Response(r) => r.into_response(),
            Forwarded::Failed(e) => error_response(
                StatusCode::BAD_GATEWAY,
                "InternalServerError",
                &format!("fault proxy: upstream failed: {e}"),
                None,
            ),
        }
    }
}

impl Upstream {
    /// The upstream at `addr` (`host:port`); nothing is connected yet.
    pub(super) fn new(addr: String) -> Upstream {
        Upstream {
            addr,
            connection: Mutex::new(None),
        }
    }

    /// Forwards the request, counting it in `counters` (and counting an
    /// upstream failure when it fails).
    pub(super) async fn forward_or_502(
        &self,
        counters: &Counters,
        parts: hyper::http::request::Parts,
        body: Bytes,
    ) -> Forwarded {
        match self.forward(counters, parts, body).await {
            Ok(r) => Forwarded::Response(r),
            Err(e) => {
                bump(&counters.upstream_failures);
                Forwarded::Failed(e)
            }
        }
    }

    /// Sends the request upstream with all headers as the client sent them (Host
    /// included, so the client's signature stays intact) except the framing ones.
    async fn forward(
        &self,
        counters: &Counters,
        mut parts: hyper::http::request::Parts,
        body: Bytes,
    ) -> Result<Buffered, BoxError> {
        for name in HOP_BY_HOP_HEADERS {
            parts.headers.remove(name);
        }
        parts
            .headers
            .insert(CONTENT_LENGTH, HeaderValue::from(body.len()));
        let mut request = Request::from_parts(parts, Full::new(body));

        let mut slot = self.connection.lock().await;
        // At most one retry, and only for a request the stale connection never sent.
        for attempt in 0..2 {
            let stale = match slot.as_ref() {
                Some(conn) => conn.sender.is_closed(),
                None => true,
            };
            if stale {
                *slot = Some(connect(&self.addr).await?);
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
                    bump(&counters.forwarded);
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
                            bump(&counters.forwarded);
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
}

async fn connect(addr: &str) -> Result<Connection, BoxError> {
    let stream = TcpStream::connect(addr).await?;
    let _ = stream.set_nodelay(true);
    let (sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream)).await?;
    let driver = tokio::spawn(async move {
        let _ = connection.await;
    });
    Ok(Connection { sender, driver })
}

#[cfg(test)]
mod tests {
    use super::*;

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
