//! The HTTP answers the proxy writes itself, framed as DynamoDB frames them
//! (JSON 1.0 content type, `x-amz-crc32`, a request id naming the sequence
//! number).

use bytes::Bytes;
use http_body_util::Full;
use hyper::header::{HeaderValue, CONTENT_LENGTH, CONTENT_TYPE};
use hyper::{Response, StatusCode};

/// Prefix of DynamoDB's error `__type` values.
const ERROR_TYPE_PREFIX: &str = "com.amazonaws.dynamodb.v20120810#";

/// The `x-amz-crc32` header value of `body`, which the SDK checks.
pub(super) fn crc32_header(body: &[u8]) -> HeaderValue {
    HeaderValue::from(crc32fast::hash(body))
}

/// A JSON answer; `seq` (the request's sequence number, if it has one) goes
/// into the request id.
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
    headers.insert("x-amz-crc32", crc32_header(&body));
    let id = match seq {
        Some(seq) => format!("fault-proxy-{seq}"),
        None => "fault-proxy".to_owned(),
    };
    if let Ok(id) = HeaderValue::from_str(&id) {
        headers.insert("x-amzn-requestid", id);
    }
    response
}

/// A DynamoDB error answer with error code `code`.
pub(super) fn error_response(
    status: StatusCode,
    code: &str,
    message: &str,
    seq: Option<u64>,
) -> Response<Full<Bytes>> {
    let body = serde_json::json!({
        "__type": format!("{ERROR_TYPE_PREFIX}{code}"),
        "message": message,
    });
    json_response(status, body.to_string(), seq)
}

/// `500 InternalServerError` for the request numbered `seq`.
pub(super) fn internal_server_error(message: &str, seq: u64) -> Response<Full<Bytes>> {
    error_response(
        StatusCode::INTERNAL_SERVER_ERROR,
        "InternalServerError",
        message,
        Some(seq),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc32_matches_known_value() {
        // DynamoDB Local's x-amz-crc32 for `{"TableNames":[]}`.
        assert_eq!(crc32fast::hash(br#"{"TableNames":[]}"#), 1_315_925_753);
        assert_eq!(crc32_header(br#"{"TableNames":[]}"#), "1315925753");
    }
}
