//! The API's errors and their one mapping to HTTP responses.
//!
//! Every route returns [`ApiError`]; dynamodel's errors become one through
//! [`From<dynamodel::Error>`], which branches on the error predicates only.
//! The guarantees of a response body built here: it names fields, rules and
//! error codes, never a stored or submitted value, and never the text of an
//! internal error (those are logged with `tracing`, whose dynamodel error
//! messages carry model, table and attribute names only).

use lambda_http::http::{header, StatusCode};
use lambda_http::{Body, Response};
use serde::Serialize;

use dynamodel::ops::CancellationCode;

/// Seconds a throttled client is told to wait before retrying.
pub const RETRY_AFTER_SECONDS: u32 = 1;

/// One field that broke one rule, as the API reports it: the field's path
/// in the request body (`lines[1].quantity`), the rule, and a message that
/// describes the problem without the value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    /// The field's path in the request (body field or query parameter).
    pub path: String,
    /// The rule broken (`length`, `range`, `regex`, `required`, ...).
    pub rule: &'static str,
    /// What was wrong, without the value.
    pub message: String,
}

impl FieldError {
    /// A failure of `rule` at `path`.
    pub fn new(path: impl Into<String>, rule: &'static str, message: impl Into<String>) -> Self {
        FieldError {
            path: path.into(),
            rule,
            message: message.into(),
        }
    }

    /// dynamodel's validation failures, each path prefixed with `prefix`
    /// (empty, or a path ending in `.` such as `lines[0].`).
    pub fn from_validation(prefix: &str, errors: &dynamodel::ValidationErrors) -> Vec<Self> {
        errors
            .errors()
            .iter()
            .map(|error| FieldError {
                path: format!("{prefix}{}", error.path),
                rule: error.rule,
                message: error.message.to_string(),
            })
            .collect()
    }
}

/// Why a request failed, as the client may learn it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApiError {
    /// The request broke validation rules: 400 with every field and rule.
    Validation(Vec<FieldError>),
    /// The body is not JSON of the route's shape: 400, with the path of
    /// the offending field when known (never the value).
    InvalidJson {
        /// Where in the body, when serde could tell (`lines[0].quantity`).
        path: Option<String>,
    },
    /// A pagination cursor was altered, truncated, or issued for another
    /// read: 400.
    InvalidCursor,
    /// A path parameter is not a valid id: 400.
    InvalidPath {
        /// The parameter (`customer_id`, `order_id`).
        parameter: &'static str,
    },
    /// No such resource: 404.
    NotFound {
        /// What was looked for (`customer`, `order`).
        resource: &'static str,
    },
    /// No route for this method and path: 404.
    NoRoute,
    /// The write conflicts with the stored state (exists already, a stale
    /// version, a failed condition): 409.
    Conflict {
        /// Why, as a stable code (`already_exists`, `version_conflict`,
        /// `condition_failed`).
        reason: &'static str,
    },
    /// DynamoDB throttled the request: 503 with `Retry-After`.
    Throttled,
    /// Anything else: 500 with a generic body; the cause was logged.
    Internal,
}

/// The JSON body of every error response.
#[derive(Debug, Serialize)]
struct ErrorBody<'a> {
    error: &'static str,
    message: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    path: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    fields: Option<&'a [FieldError]>,
}

impl ApiError {
    /// The HTTP status of this error.
    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::Validation(_)
            | ApiError::InvalidJson { .. }
            | ApiError::InvalidCursor
            | ApiError::InvalidPath { .. } => StatusCode::BAD_REQUEST,
            ApiError::NotFound { .. } | ApiError::NoRoute => StatusCode::NOT_FOUND,
            ApiError::Conflict { .. } => StatusCode::CONFLICT,
            ApiError::Throttled => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The response: status, JSON body, and `Retry-After` when throttled.
    pub fn into_response(self) -> Response<Body> {
        let status = self.status();
        let (error, message, path, fields) = match &self {
            ApiError::Validation(fields) => (
                "validation",
                "the request broke validation rules",
                None,
                Some(fields.as_slice()),
            ),
            ApiError::InvalidJson { path } => (
                "invalid_json",
                "the body is not JSON of the expected shape",
                path.as_deref(),
                None,
            ),
            ApiError::InvalidCursor => (
                "invalid_cursor",
                "the cursor is not one this listing issued",
                None,
                None,
            ),
            ApiError::InvalidPath { parameter } => (
                "invalid_path",
                "a path parameter is not a valid id (1 to 64 letters, digits, '-' or '_')",
                Some(*parameter),
                None,
            ),
            ApiError::NotFound { resource } => {
                ("not_found", not_found_message(resource), None, None)
            }
            ApiError::NoRoute => ("no_route", "no route for this method and path", None, None),
            ApiError::Conflict { reason } => (
                *reason,
                "the request conflicts with the stored state: read it again",
                None,
                None,
            ),
            ApiError::Throttled => ("throttled", "too many requests: retry later", None, None),
            ApiError::Internal => ("internal", "internal error", None, None),
        };
        let body = ErrorBody {
            error,
            message,
            path,
            fields,
        };
        let mut response = super::json_response(status, &body);
        if matches!(self, ApiError::Throttled) {
            response.headers_mut().insert(
                header::RETRY_AFTER,
                header::HeaderValue::from(RETRY_AFTER_SECONDS),
            );
        }
        response
    }
}

fn not_found_message(resource: &str) -> &'static str {
    match resource {
        "customer" => "no such customer",
        "order" => "no such order",
        _ => "not found",
    }
}

impl From<dynamodel::Error> for ApiError {
    fn from(err: dynamodel::Error) -> Self {
        // One action of a transaction or batch refused before sending: the
        // cause decides (its paths are the model's, which the API's bodies
        // share).
        if let dynamodel::Error::Item { source, .. } = err {
            return ApiError::from(*source);
        }
        if let Some(errors) = err.validation_errors() {
            return ApiError::Validation(FieldError::from_validation("", errors));
        }
        if err.is_invalid_cursor() {
            return ApiError::InvalidCursor;
        }
        if err.is_not_found() {
            return ApiError::NotFound { resource: "item" };
        }
        if err.is_already_exists() {
            return ApiError::Conflict {
                reason: "already_exists",
            };
        }
        if err.is_version_conflict() {
            return ApiError::Conflict {
                reason: "version_conflict",
            };
        }
        if err.is_conditional_check_failed() {
            return ApiError::Conflict {
                reason: "condition_failed",
            };
        }
        if err.is_throttling() {
            return ApiError::Throttled;
        }
        if let Some(reasons) = err.cancellation_reasons() {
            let codes = || reasons.iter().map(|reason| &reason.code);
            if codes().any(|code| *code == CancellationCode::ConditionalCheckFailed) {
                return ApiError::Conflict {
                    reason: "condition_failed",
                };
            }
            if codes().any(|code| *code == CancellationCode::TransactionConflict) {
                return ApiError::Conflict {
                    reason: "concurrent_write",
                };
            }
            if codes().any(|code| *code == CancellationCode::Throttled) {
                return ApiError::Throttled;
            }
        }
        tracing::error!(error = %err, "request failed");
        ApiError::Internal
    }
}

impl From<serde_path_to_error::Error<serde_json::Error>> for ApiError {
    fn from(err: serde_path_to_error::Error<serde_json::Error>) -> Self {
        // serde_json's message may quote the value ("invalid type: string
        // \"...\""): only the path is kept.
        let path = err.path().to_string();
        ApiError::InvalidJson {
            path: (path != ".").then_some(path),
        }
    }
}

#[cfg(test)]
mod tests {
    use aws_sdk_dynamodb::types::error::{
        ConditionalCheckFailedException, InternalServerError, ThrottlingException,
    };

    use super::*;

    fn sdk(source: aws_sdk_dynamodb::Error) -> dynamodel::Error {
        dynamodel::Error::Sdk {
            operation: "PutItem",
            table: "shop".into(),
            source: Box::new(source),
        }
    }

    fn body_of(response: &Response<Body>) -> serde_json::Value {
        match response.body() {
            Body::Text(text) => serde_json::from_str(text).expect("a JSON body"),
            other => panic!("expected a text body, got {other:?}"),
        }
    }

    // DynamoDB Local never throttles, so the 503 mapping is pinned here.
    #[test]
    fn throttling_is_503_with_retry_after() {
        let err = ApiError::from(sdk(aws_sdk_dynamodb::Error::ThrottlingException(
            ThrottlingException::builder().build(),
        )));
        assert_eq!(err, ApiError::Throttled);
        let response = err.into_response();
        assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(
            response
                .headers()
                .get(header::RETRY_AFTER)
                .map(|v| v.as_bytes()),
            Some(b"1".as_slice())
        );
        assert_eq!(body_of(&response)["error"], "throttled");
    }

    #[test]
    fn other_sdk_errors_are_500_with_a_generic_body() {
        let err = sdk(aws_sdk_dynamodb::Error::InternalServerError(
            InternalServerError::builder()
                .message("secret internal detail")
                .build(),
        ));
        let response = ApiError::from(err).into_response();
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert!(response.headers().get(header::RETRY_AFTER).is_none());
        let body = body_of(&response).to_string();
        assert!(!body.contains("secret"), "{body}");
        assert!(!body.contains("shop"), "{body}");
        assert_eq!(body_of(&response)["error"], "internal");
    }

    #[test]
    fn an_sdk_condition_failure_without_a_specific_case_is_not_a_conflict() {
        // Only dynamodel's own condition errors are conflicts: a raw SDK
        // error stays internal.
        let err = sdk(aws_sdk_dynamodb::Error::ConditionalCheckFailedException(
            ConditionalCheckFailedException::builder().build(),
        ));
        assert_eq!(ApiError::from(err), ApiError::Internal);
    }

    #[test]
    fn write_conflicts_are_409_with_their_reason() {
        let exists = dynamodel::Error::AlreadyExists {
            model: "Customer",
            table: "shop".into(),
        };
        let version = dynamodel::Error::VersionConflict {
            model: "Order",
            table: "shop".into(),
            operation: "update",
            expected: "1".into(),
            item: None,
        };
        let condition = dynamodel::Error::ConditionFailed {
            model: "Order",
            table: "shop".into(),
            operation: "put",
            item: None,
        };
        for (err, reason) in [
            (exists, "already_exists"),
            (version, "version_conflict"),
            (condition, "condition_failed"),
        ] {
            let mapped = ApiError::from(err);
            assert_eq!(mapped, ApiError::Conflict { reason });
            let response = mapped.into_response();
            assert_eq!(response.status(), StatusCode::CONFLICT);
            assert_eq!(body_of(&response)["error"], reason);
        }
    }

    #[test]
    fn validation_is_400_listing_paths_and_rules() {
        let mut errors = dynamodel::ValidationErrors::new();
        errors.add("email", "regex", "does not match the pattern");
        errors.add("name", "length", "length 0 is below the minimum 1");
        let err = dynamodel::Error::Validation {
            model: "Customer",
            errors,
        };
        let response = ApiError::from(err).into_response();
        assert_eq!(response.status(), StatusCode::BAD_REQUEST);
        let body = body_of(&response);
        assert_eq!(body["error"], "validation");
        assert_eq!(body["fields"][0]["path"], "email");
        assert_eq!(body["fields"][0]["rule"], "regex");
        assert_eq!(body["fields"][1]["path"], "name");
        assert_eq!(body["fields"][1]["rule"], "length");
    }

    #[test]
    fn a_refused_transaction_action_maps_by_its_cause() {
        let mut errors = dynamodel::ValidationErrors::new();
        errors.add("ship_to", "length", "length 65 is above the maximum 64");
        let err = dynamodel::Error::Item {
            operation: "TransactWriteItems",
            index: 1,
            source: Box::new(dynamodel::Error::Validation {
                model: "Order",
                errors,
            }),
        };
        assert_eq!(
            ApiError::from(err),
            ApiError::Validation(vec![FieldError::new(
                "ship_to",
                "length",
                "length 65 is above the maximum 64"
            )])
        );
    }

    #[test]
    fn prefixed_validation_paths_name_the_request_field() {
        let mut errors = dynamodel::ValidationErrors::new();
        errors.add("quantity", "range", "0 is below the minimum 1");
        let fields = FieldError::from_validation("lines[2].", &errors);
        assert_eq!(
            fields,
            [FieldError::new(
                "lines[2].quantity",
                "range",
                "0 is below the minimum 1"
            )]
        );
    }

    #[test]
    fn cursors_and_not_found_map_to_400_and_404() {
        let cursor = dynamodel::Error::InvalidCursor {
            model: "Order",
            reason: "altered",
        };
        let response = ApiError::from(cursor).into_response();
        assert_eq!(response.status(), StatusCode::BAD_REQUEST);
        assert_eq!(body_of(&response)["error"], "invalid_cursor");
        let missing = dynamodel::Error::NotFound {
            model: "Order",
            table: "shop".into(),
        };
        let response = ApiError::from(missing).into_response();
        assert_eq!(response.status(), StatusCode::NOT_FOUND);
    }

    #[test]
    fn json_errors_keep_the_path_and_drop_the_value() {
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Line {
            quantity: u32,
        }
        let text = r#"{"quantity": "many-SECRET"}"#;
        let mut de = serde_json::Deserializer::from_str(text);
        let err = serde_path_to_error::deserialize::<_, Line>(&mut de).unwrap_err();
        let mapped = ApiError::from(err);
        assert_eq!(
            mapped,
            ApiError::InvalidJson {
                path: Some("quantity".into())
            }
        );
        let body = body_of(&mapped.into_response()).to_string();
        assert!(!body.contains("SECRET"), "{body}");
    }
}
