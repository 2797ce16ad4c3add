//! Sending a request again without copying its input.
//!
//! The SDK consumes a request's input, and a transaction (or a batch
//! request) that dynamodel retries must send the same items again. Rather
//! than copying every item before each attempt, the first attempt sends
//! them by move and keeps the body the SDK serialized (a reference-counted
//! buffer: no copy of the items); a retry sends a request with an empty
//! input whose body is replaced, before signing, by the kept one. The bytes
//! sent are the same as the first attempt's (the client request token
//! included), so a retry is exactly the request that failed.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use aws_sdk_dynamodb::config::http::HttpRequest;
use aws_sdk_dynamodb::types::{DeleteRequest, PutRequest, WriteRequest};
use aws_smithy_types::body::SdkBody;
use serde::Deserialize;

/// The serialized body of a request's last attempt, shared with the SDK's
/// request hook that records it.
#[derive(Clone, Default)]
pub(crate) struct SavedBody(Arc<Mutex<Option<SdkBody>>>);

impl std::fmt::Debug for SavedBody {
    // The body holds the items: never shown.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SavedBody").finish_non_exhaustive()
    }
}

impl SavedBody {
    /// A hook for `customize().mutate_request(..)` that records the body
    /// the SDK serialized (it runs before signing, at every SDK attempt).
    pub(crate) fn recorder(&self) -> impl Fn(&mut HttpRequest) + Send + Sync + 'static {
        let saved = self.0.clone();
        move |request| {
            let body = request.body().try_clone();
            *saved.lock().unwrap_or_else(PoisonError::into_inner) = body;
        }
    }

    /// A hook for `customize().mutate_request(..)` that replaces the body
    /// of a request built from an empty input with the recorded one (and
    /// its length); `None` when no body was recorded (the first attempt
    /// failed before it was serialized, so it never reached DynamoDB).
    pub(crate) fn replayer(&self) -> Option<impl Fn(&mut HttpRequest) + Send + Sync + 'static> {
        let body = self
            .0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .as_ref()?
            .try_clone()?;
        let length = body.content_length()?.to_string();
        Some(move |request: &mut HttpRequest| {
            if let Some(body) = body.try_clone() {
                *request.body_mut() = body;
                request
                    .headers_mut()
                    .insert("content-length", length.clone());
            }
        })
    }
}

impl SavedBody {
    /// The writes of a recorded `BatchWriteItem` body, by table, as the
    /// SDK would hand them back: how a failed batch request's items are
    /// reported without having been copied. `None` when nothing was
    /// recorded or the body is not a `BatchWriteItem` request.
    pub(crate) fn batch_write_requests(&self) -> Option<HashMap<String, Vec<WriteRequest>>> {
        let saved = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        let body: BatchBody = serde_json::from_slice(saved.as_ref()?.bytes()?).ok()?;
        body.request_items
            .into_iter()
            .map(|(table, writes)| {
                let requests = writes
                    .into_iter()
                    .map(JsonWrite::into_request)
                    .collect::<Option<Vec<_>>>()?;
                Some((table, requests))
            })
            .collect()
    }
}

/// A `BatchWriteItem` request body (DynamoDB's JSON protocol).
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct BatchBody {
    request_items: HashMap<String, Vec<JsonWrite>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct JsonWrite {
    put_request: Option<JsonPut>,
    delete_request: Option<JsonDelete>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct JsonPut {
    item: serde_dynamo::Item,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct JsonDelete {
    key: serde_dynamo::Item,
}

impl JsonWrite {
    fn into_request(self) -> Option<WriteRequest> {
        let request = match (self.put_request, self.delete_request) {
            (Some(put), None) => WriteRequest::builder().put_request(
                PutRequest::builder()
                    .set_item(Some(put.item.into()))
                    .build()
                    .ok()?,
            ),
            (None, Some(delete)) => WriteRequest::builder().delete_request(
                DeleteRequest::builder()
                    .set_key(Some(delete.key.into()))
                    .build()
                    .ok()?,
            ),
            _ => return None,
        };
        Some(request.build())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(body: &'static str) -> HttpRequest {
        let mut request = HttpRequest::new(SdkBody::from(body));
        request
            .headers_mut()
            .insert("content-length", body.len().to_string());
        request
    }

    #[test]
    fn a_replayed_request_carries_the_recorded_body_and_its_length() {
        let saved = SavedBody::default();
        assert!(saved.replayer().is_none(), "nothing recorded yet");
        let mut first = request(r#"{"TransactItems":[1,2,3]}"#);
        saved.recorder()(&mut first);
        let mut retry = request(r#"{"TransactItems":[]}"#);
        let replay = saved.replayer().expect("a body was recorded");
        replay(&mut retry);
        assert_eq!(
            retry.body().bytes(),
            Some(&br#"{"TransactItems":[1,2,3]}"#[..])
        );
        assert_eq!(retry.headers().get("content-length"), Some("25"));
        // The same replayer serves every SDK attempt of the retry.
        let mut again = request("{}");
        replay(&mut again);
        assert_eq!(again.body().bytes(), first.body().bytes());
    }

    /// A client whose requests fail to connect (a closed port): the SDK
    /// still serializes and signs them, so the recorder sees the real body.
    fn unreachable_client() -> aws_sdk_dynamodb::Client {
        use aws_sdk_dynamodb::config::{BehaviorVersion, Credentials, Region};
        let config = aws_sdk_dynamodb::Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new("us-east-1"))
            .credentials_provider(Credentials::new("k", "s", None, None, "test"))
            .endpoint_url("http://127.0.0.1:1")
            .retry_config(aws_sdk_dynamodb::config::retry::RetryConfig::disabled())
            .build();
        aws_sdk_dynamodb::Client::from_conf(config)
    }

    #[tokio::test]
    async fn the_writes_of_a_recorded_batch_body_read_back_as_sent() {
        use aws_sdk_dynamodb::primitives::Blob;
        use aws_sdk_dynamodb::types::AttributeValue as V;
        let item: crate::Item = HashMap::from([
            ("s".to_owned(), V::S("text é \" \\ \n".into())),
            ("n".to_owned(), V::N("-12.50e3".into())),
            ("b".to_owned(), V::B(Blob::new(vec![0u8, 255, 10]))),
            ("t".to_owned(), V::Bool(true)),
            ("z".to_owned(), V::Null(true)),
            ("ss".to_owned(), V::Ss(vec!["a".into(), "b".into()])),
            ("ns".to_owned(), V::Ns(vec!["1".into(), "2.5".into()])),
            (
                "bs".to_owned(),
                V::Bs(vec![Blob::new(vec![1u8]), Blob::new(vec![2u8, 3])]),
            ),
            (
                "l".to_owned(),
                V::L(vec![V::S("x".into()), V::N("1".into())]),
            ),
            (
                "m".to_owned(),
                V::M(HashMap::from([("k".to_owned(), V::L(Vec::new()))])),
            ),
        ]);
        let key: crate::Item = HashMap::from([("s".to_owned(), V::S("gone".into()))]);
        let writes = vec![
            WriteRequest::builder()
                .put_request(PutRequest::builder().set_item(Some(item)).build().unwrap())
                .build(),
            WriteRequest::builder()
                .delete_request(DeleteRequest::builder().set_key(Some(key)).build().unwrap())
                .build(),
        ];
        let sent = HashMap::from([("a_table".to_owned(), writes)]);
        let saved = SavedBody::default();
        let result = unreachable_client()
            .batch_write_item()
            .set_request_items(Some(sent.clone()))
            .customize()
            .mutate_request(saved.recorder())
            .send()
            .await;
        assert!(result.is_err(), "nothing listens on port 1");
        assert_eq!(saved.batch_write_requests(), Some(sent));
    }

    #[test]
    fn a_body_that_is_no_batch_write_reads_back_as_nothing() {
        let saved = SavedBody::default();
        assert_eq!(saved.batch_write_requests(), None);
        saved.recorder()(&mut request(r#"{"TransactItems":[]}"#));
        assert_eq!(saved.batch_write_requests(), None);
        saved.recorder()(&mut request(r#"{"RequestItems":{"t":[{}]}}"#));
        assert_eq!(
            saved.batch_write_requests(),
            None,
            "a write neither put nor delete"
        );
    }

    #[test]
    fn the_last_recorded_body_wins() {
        let saved = SavedBody::default();
        saved.recorder()(&mut request("first"));
        saved.recorder()(&mut request("second"));
        let mut retry = request("");
        saved.replayer().expect("recorded")(&mut retry);
        assert_eq!(retry.body().bytes(), Some(&b"second"[..]));
        assert_eq!(retry.headers().get("content-length"), Some("6"));
    }
}
