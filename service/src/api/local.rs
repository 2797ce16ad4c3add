//! A local HTTP server for the API: hyper on a TCP listener, converting each
//! request into a [`lambda_http::Request`], running [`App::handle`] (the
//! function the Lambda runs) and converting its response back.
//!
//! This stands in for API Gateway during development and in the end-to-end
//! tests (cargo-lambda's emulator is not used: see the README). It has no
//! stage, authorizer or request-context: routes read only the method, path,
//! query string and body, which both paths provide alike.

use std::convert::Infallible;
use std::sync::Arc;

use http_body_util::{BodyExt, Full, Limited};
use hyper::body::{Bytes, Incoming};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use lambda_http::http::{Response, StatusCode};
use lambda_http::Body;
use tokio::net::TcpListener;

use super::App;

/// Largest request body accepted (API Gateway's own limit is 10 MB).
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// Serves `app` on `listener` until the listener fails; each connection
/// runs on its own task.
pub async fn serve(app: App, listener: TcpListener) -> std::io::Result<()> {
    let app = Arc::new(app);
    loop {
        let (stream, _) = listener.accept().await?;
        let app = Arc::clone(&app);
        tokio::spawn(async move {
            let service = service_fn(move |request| {
                let app = Arc::clone(&app);
                async move { Ok::<_, Infallible>(answer(&app, request).await) }
            });
            if let Err(err) = http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await
            {
                tracing::debug!(error = %err, "local connection ended with an error");
            }
        });
    }
}

async fn answer(app: &App, request: hyper::Request<Incoming>) -> Response<Full<Bytes>> {
    let (parts, body) = request.into_parts();
    let bytes = match Limited::new(body, MAX_BODY_BYTES).collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(_) => {
            let mut response = Response::new(Full::new(Bytes::from_static(
                br#"{"error":"body_too_large","message":"the body is over 1 MB"}"#,
            )));
            *response.status_mut() = StatusCode::PAYLOAD_TOO_LARGE;
            return response;
        }
    };
    let body = if bytes.is_empty() {
        Body::Empty
    } else {
        match String::from_utf8(bytes.to_vec()) {
            Ok(text) => Body::Text(text),
            Err(err) => Body::Binary(err.into_bytes()),
        }
    };
    let response = app
        .handle(lambda_http::Request::from_parts(parts, body))
        .await;
    let (parts, body) = response.into_parts();
    let bytes = match body {
        Body::Empty => Bytes::new(),
        Body::Text(text) => Bytes::from(text),
        Body::Binary(bytes) => Bytes::from(bytes),
        // `Body` is non-exhaustive; the API only builds the cases above.
        _ => Bytes::new(),
    };
    Response::from_parts(parts, Full::new(bytes))
}
