//! The HTTP API: routes over the shop's access patterns, served by the
//! `shop-api` Lambda behind API Gateway (REST or HTTP API, through
//! `lambda_http`), or locally by [`local`] with the same handler.
//!
//! * [`routes`] — the routes and their handlers;
//! * [`dto`] — the JSON bodies (the API's contract, separate from the models);
//! * [`error`] — [`ApiError`] and the one mapping from dynamodel's errors to
//!   HTTP statuses and bodies;
//! * [`local`] — a small HTTP server (hyper) running [`App::handle`] on a
//!   local port, for development and the end-to-end tests.
//!
//! Guarantees: every response is JSON; an error response names fields,
//! rules and codes but never a value, stored or submitted, nor an internal
//! error's text (that is logged). [`App`] is built once per process (at
//! the Lambda's cold start) and sends no request while being built.

pub mod dto;
pub mod error;
pub mod local;
pub mod routes;

use dynamodel::Db;
use lambda_http::http::{header, StatusCode};
use lambda_http::{Body, Request, Response};
use serde::Serialize;

pub use error::{ApiError, FieldError};

use dynamodel_examples::shop::models::TABLE;

/// The environment variable naming the shop's table (default: `shop`).
pub const TABLE_ENV: &str = "SHOP_TABLE";

/// The API: the shop's [`Db`], shared by every request.
#[derive(Debug, Clone)]
pub struct App {
    db: Db,
}

impl App {
    /// The API over `db` (whose table names are used as they are).
    pub fn new(db: Db) -> Self {
        App { db }
    }

    /// The API as deployed: a [`Db`] from the standard AWS configuration
    /// (region, credentials, endpoint), on the table named by
    /// [`TABLE_ENV`] when set. Sends no request.
    pub async fn from_env() -> Self {
        let db = Db::from_env().await;
        App::new(with_table_from_env(db))
    }

    /// The [`Db`] the API works on.
    pub fn db(&self) -> &Db {
        &self.db
    }

    /// Answers one request: a route's JSON response, or an error's.
    pub async fn handle(&self, request: Request) -> Response<Body> {
        match routes::route(&self.db, &request).await {
            Ok(response) => response,
            Err(err) => err.into_response(),
        }
    }
}

/// `db` on the table named by [`TABLE_ENV`], when set and not empty.
pub fn with_table_from_env(db: Db) -> Db {
    match std::env::var(TABLE_ENV) {
        Ok(name) if !name.is_empty() => db.with_named_table(TABLE, name),
        _ => db,
    }
}

/// A JSON response; a body that does not serialize (which the API's own
/// types cannot cause) becomes a bare 500.
pub(crate) fn json_response(status: StatusCode, body: &impl Serialize) -> Response<Body> {
    let (status, text) = match serde_json::to_string(body) {
        Ok(text) => (status, text),
        Err(err) => {
            tracing::error!(error = %err, "serializing a response body");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                r#"{"error":"internal","message":"internal error"}"#.to_owned(),
            )
        }
    };
    let mut response = Response::new(Body::Text(text));
    *response.status_mut() = status;
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        header::HeaderValue::from_static("application/json"),
    );
    response
}
