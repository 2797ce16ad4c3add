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
//!
//! ## How the body reaches the SDK
//!
//! One interceptor ([`ReplayInterceptor`]) is installed on the client when
//! the [`Db`](crate::Db) is built ([`with_replay`]). A request that records
//! or replays is sent inside a [`BodySlot`] scope: a `tokio::task_local!`
//! set around that request's send future only, which the interceptor reads
//! in `modify_before_signing` (it runs at every SDK attempt, in the task
//! polling the send future). Every other request finds no slot: the
//! interceptor does one empty thread-local look-up; it overrides that one
//! hook only (so the SDK calls it for nothing else) and is permanent (no
//! per-hook config look-up for a "disabled" flag). Measured under
//! callgrind: under 1 k instructions per single-item request (about
//! 0.2 %); a recording or replaying request's SDK future is pinned where
//! it is made, never copied into the scope.
//!
//! Why not the SDK's per-request `customize().mutate_request(..)`, as
//! before: it builds an operation-level runtime plugin per request (a boxed
//! interceptor, a runtime-components layer merged into the request's
//! config): about 8 k instructions per request more than this. Why not a
//! value in the request's config bag: the fluent builders reach the config
//! bag only through `customize()`, the very cost to avoid.
//!
//! Nothing here changes what the client does otherwise: the user's own
//! interceptors and configuration are kept (the client is rebuilt from its
//! own configuration, with one interceptor appended), and a body is never
//! shown in `Debug`.

use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex, PoisonError};

use aws_sdk_dynamodb::config::http::HttpRequest;
use aws_sdk_dynamodb::config::interceptors::BeforeTransmitInterceptorContextMut;
use aws_sdk_dynamodb::config::{ConfigBag, Intercept, RuntimeComponents, SharedInterceptor};
use aws_sdk_dynamodb::error::BoxError;
use aws_sdk_dynamodb::types::{DeleteRequest, PutRequest, WriteRequest};
use aws_sdk_dynamodb::Client;
use aws_smithy_types::body::SdkBody;
use serde::Deserialize;

/// The name [`ReplayInterceptor`] reports to the SDK; also how
/// [`with_replay`] sees that a client already has it.
const INTERCEPTOR_NAME: &str = "dynamodel.replay";

tokio::task_local! {
    /// What the request being sent in this task does with its body: set
    /// only around a recording or replaying request's send future.
    static SLOT: BodySlot;
}

/// `client` with [`ReplayInterceptor`] installed (rebuilt from its own
/// configuration, so its interceptors, credentials, HTTP client and
/// settings are kept); `client` itself when it already has it.
pub(crate) fn with_replay(client: Client) -> Client {
    if client
        .config()
        .interceptors()
        .any(|interceptor| interceptor.name() == INTERCEPTOR_NAME)
    {
        return client;
    }
    // Permanent: the SDK skips the per-hook look-up of a "disabled" flag
    // in the request's config (nobody outside dynamodel can name this
    // interceptor to disable it).
    let mut config = client.config().to_builder();
    config.push_interceptor(SharedInterceptor::permanent(ReplayInterceptor));
    let config = config.build();
    // The same configuration the SDK already accepted for `client`, plus
    // one interceptor: validated again, it passes again.
    Client::from_conf(config)
}

/// The interceptor that records or replays the body of a request sent
/// inside a [`BodySlot`] scope, and does nothing for any other request.
#[derive(Debug)]
pub(crate) struct ReplayInterceptor;

#[aws_smithy_runtime_api::client::interceptors::dyn_dispatch_hint]
impl Intercept for ReplayInterceptor {
    fn name(&self) -> &'static str {
        INTERCEPTOR_NAME
    }

    // Before signing: the signature covers the body, so a replayed body is
    // signed as if the SDK had serialized it.
    fn modify_before_signing(
        &self,
        context: &mut BeforeTransmitInterceptorContextMut<'_>,
        _runtime_components: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        // No slot (every request but a batch or transaction dynamodel sends
        // itself): nothing to do.
        let _ = SLOT.try_with(|slot| slot.apply(context.request_mut()));
        Ok(())
    }
}

/// What one request does with its serialized body: record it (a first
/// attempt) or carry a recorded one (a retry). Made by
/// [`SavedBody::recorder`] and [`SavedBody::replayer`].
pub(crate) enum BodySlot {
    /// Keep the body the SDK serialized, at every SDK attempt.
    Record(SavedBody),
    /// Replace the body (and its length) by this one.
    Replay {
        /// The recorded body.
        body: SdkBody,
        /// Its length, as the `content-length` header carries it.
        length: String,
    },
}

impl std::fmt::Debug for BodySlot {
    // The body holds the items: never shown.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kind = match self {
            BodySlot::Record(_) => "Record",
            BodySlot::Replay { .. } => "Replay",
        };
        f.debug_tuple("BodySlot").field(&kind).finish()
    }
}

impl BodySlot {
    /// The request `send` makes, sent with this slot: the client's
    /// [`ReplayInterceptor`] records or replays that request's body.
    ///
    /// `send` is called inside the returned future and its (large) SDK
    /// future is pinned where it is made: the task-local scope holds a
    /// pinned reference, so adding the slot copies no request future.
    pub(crate) async fn send<F: Future>(self, send: impl FnOnce() -> F) -> F::Output {
        let request = std::pin::pin!(send());
        SLOT.scope(self, request).await
    }

    /// What the interceptor does to a request about to be signed.
    fn apply(&self, request: &mut HttpRequest) {
        match self {
            BodySlot::Record(saved) => {
                let body = request.body().try_clone();
                *saved.0.lock().unwrap_or_else(PoisonError::into_inner) = body;
            }
            BodySlot::Replay { body, length } => {
                if let Some(body) = body.try_clone() {
                    *request.body_mut() = body;
                    request
                        .headers_mut()
                        .insert("content-length", length.clone());
                }
            }
        }
    }
}

/// The serialized body of a request's last attempt, shared with the
/// interceptor that records it.
#[derive(Clone, Default)]
pub(crate) struct SavedBody(Arc<Mutex<Option<SdkBody>>>);

impl std::fmt::Debug for SavedBody {
    // The body holds the items: never shown.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SavedBody").finish_non_exhaustive()
    }
}

impl SavedBody {
    /// The slot of a request whose serialized body is recorded here (at
    /// every SDK attempt, before signing; the last attempt's wins).
    pub(crate) fn recorder(&self) -> BodySlot {
        BodySlot::Record(self.clone())
    }

    /// The slot of a request built from an empty input whose body is
    /// replaced by the recorded one (and its length); `None` when no body
    /// was recorded (the first attempt failed before it was serialized, so
    /// it never reached DynamoDB, or the client lacks the interceptor).
    pub(crate) fn replayer(&self) -> Option<BodySlot> {
        let body = self
            .0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .as_ref()?
            .try_clone()?;
        let length = body.content_length()?.to_string();
        Some(BodySlot::Replay { body, length })
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

    use aws_sdk_dynamodb::config::interceptors::BeforeTransmitInterceptorContextRef;
    use aws_sdk_dynamodb::types::{Put, TransactWriteItem};

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
        saved.recorder().apply(&mut first);
        let mut retry = request(r#"{"TransactItems":[]}"#);
        let replay = saved.replayer().expect("a body was recorded");
        replay.apply(&mut retry);
        assert_eq!(
            retry.body().bytes(),
            Some(&br#"{"TransactItems":[1,2,3]}"#[..])
        );
        assert_eq!(retry.headers().get("content-length"), Some("25"));
        // The same slot serves every SDK attempt of the retry.
        let mut again = request("{}");
        replay.apply(&mut again);
        assert_eq!(again.body().bytes(), first.body().bytes());
        assert_eq!(again.headers().get("content-length"), Some("25"));
    }

    #[test]
    fn a_slot_never_shows_the_body() {
        let saved = SavedBody::default();
        saved.recorder().apply(&mut request("secret-value"));
        let shown = format!(
            "{:?} {:?} {saved:?}",
            saved.recorder(),
            saved.replayer().expect("recorded")
        );
        assert!(!shown.contains("secret"), "{shown}");
        assert_eq!(
            shown,
            r#"BodySlot("Record") BodySlot("Replay") SavedBody { .. }"#
        );
    }

    /// A client whose requests fail to connect (a closed port): the SDK
    /// still serializes and signs them, so the interceptors see the real
    /// body. `extra` is installed first, as a user's own interceptor.
    fn unreachable_client(extra: Option<Capture>) -> Client {
        use aws_sdk_dynamodb::config::{BehaviorVersion, Credentials, Region};
        let mut config = aws_sdk_dynamodb::Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new("us-east-1"))
            .credentials_provider(Credentials::new("k", "s", None, None, "test"))
            .endpoint_url("http://127.0.0.1:1")
            .retry_config(aws_sdk_dynamodb::config::retry::RetryConfig::disabled());
        if let Some(capture) = extra {
            config = config.interceptor(capture);
        }
        Client::from_conf(config.build())
    }

    /// A user's interceptor: the body and `content-length` of every request
    /// as it goes on the wire (after signing).
    #[derive(Clone, Debug, Default)]
    struct Capture(Arc<Mutex<Vec<Sent>>>);

    /// A request's body and `content-length` header, as sent.
    type Sent = (Vec<u8>, Option<String>);

    impl Intercept for Capture {
        fn name(&self) -> &'static str {
            "test.capture"
        }

        fn read_before_transmit(
            &self,
            context: &BeforeTransmitInterceptorContextRef<'_>,
            _runtime_components: &RuntimeComponents,
            _cfg: &mut ConfigBag,
        ) -> Result<(), BoxError> {
            let request = context.request();
            let body = request.body().bytes().unwrap_or_default().to_vec();
            let length = request.headers().get("content-length").map(str::to_owned);
            self.0.lock().unwrap().push((body, length));
            Ok(())
        }
    }

    impl Capture {
        fn take(&self) -> Vec<Sent> {
            std::mem::take(&mut *self.0.lock().unwrap())
        }
    }

    fn transact_put(id: &str) -> TransactWriteItem {
        use aws_sdk_dynamodb::types::AttributeValue as V;
        let put = Put::builder()
            .table_name("a_table")
            .item("id", V::S(id.to_owned()))
            .build()
            .unwrap();
        TransactWriteItem::builder().put(put).build()
    }

    #[tokio::test]
    async fn a_retry_through_the_interceptor_sends_the_first_attempts_bytes() {
        let capture = Capture::default();
        let client = with_replay(unreachable_client(Some(capture.clone())));
        let saved = SavedBody::default();
        let first = client
            .transact_write_items()
            .client_request_token("token-1")
            .transact_items(transact_put("a"))
            .transact_items(transact_put("b"));
        let result = saved.recorder().send(|| first.send()).await;
        assert!(result.is_err(), "nothing listens on port 1");
        let [(sent, sent_length)] = &capture.take()[..] else {
            panic!("one attempt")
        };
        assert!(
            std::str::from_utf8(sent).unwrap().contains("token-1"),
            "the token is in the recorded body"
        );
        assert_eq!(sent_length.as_deref(), Some(&*sent.len().to_string()));

        // The retry: an empty input, a body replaced before signing.
        let retry = client
            .transact_write_items()
            .client_request_token("token-1")
            .set_transact_items(Some(Vec::new()));
        let replay = saved.replayer().expect("the first attempt was recorded");
        assert!(replay.send(|| retry.send()).await.is_err());
        let [(resent, resent_length)] = &capture.take()[..] else {
            panic!("one attempt")
        };
        assert_eq!(resent, sent, "the same bytes, the user's interceptor ran");
        assert_eq!(resent_length, sent_length);

        // A request outside any slot keeps its own body, and records nothing.
        let other = client
            .transact_write_items()
            .client_request_token("token-2")
            .transact_items(transact_put("c"));
        assert!(other.send().await.is_err());
        let [(own, _)] = &capture.take()[..] else {
            panic!("one attempt")
        };
        assert!(std::str::from_utf8(own).unwrap().contains("token-2"));
        let mut probe = request("{}");
        saved.replayer().expect("still recorded").apply(&mut probe);
        assert_eq!(probe.body().bytes(), Some(&sent[..]), "not overwritten");
    }

    #[tokio::test]
    async fn without_the_interceptor_nothing_is_recorded() {
        let saved = SavedBody::default();
        let result = saved
            .recorder()
            .send(|| {
                unreachable_client(None)
                    .transact_write_items()
                    .transact_items(transact_put("a"))
                    .send()
            })
            .await;
        assert!(result.is_err());
        assert!(
            saved.replayer().is_none(),
            "no replay of a body never recorded: the caller reports an error"
        );
    }

    #[test]
    fn the_interceptor_is_installed_once_and_keeps_the_users() {
        let count = |client: &Client| {
            client
                .config()
                .interceptors()
                .filter(|i| i.name() == INTERCEPTOR_NAME)
                .count()
        };
        let plain = unreachable_client(Some(Capture::default()));
        assert_eq!(count(&plain), 0);
        let once = with_replay(plain);
        assert_eq!(count(&once), 1);
        let twice = with_replay(once.clone());
        assert_eq!(count(&twice), 1);
        let names: Vec<_> = twice.config().interceptors().map(|i| i.name()).collect();
        assert_eq!(names, ["test.capture", INTERCEPTOR_NAME]);
        assert_eq!(
            twice.config().region().map(|r| r.as_ref()),
            Some("us-east-1")
        );
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
        let request = with_replay(unreachable_client(None))
            .batch_write_item()
            .set_request_items(Some(sent.clone()));
        let result = saved.recorder().send(|| request.send()).await;
        assert!(result.is_err(), "nothing listens on port 1");
        assert_eq!(saved.batch_write_requests(), Some(sent));
    }

    #[test]
    fn a_body_that_is_no_batch_write_reads_back_as_nothing() {
        let saved = SavedBody::default();
        assert_eq!(saved.batch_write_requests(), None);
        saved
            .recorder()
            .apply(&mut request(r#"{"TransactItems":[]}"#));
        assert_eq!(saved.batch_write_requests(), None);
        saved
            .recorder()
            .apply(&mut request(r#"{"RequestItems":{"t":[{}]}}"#));
        assert_eq!(
            saved.batch_write_requests(),
            None,
            "a write neither put nor delete"
        );
    }

    #[test]
    fn the_last_recorded_body_wins() {
        let saved = SavedBody::default();
        saved.recorder().apply(&mut request("first"));
        saved.recorder().apply(&mut request("second"));
        let mut retry = request("");
        saved.replayer().expect("recorded").apply(&mut retry);
        assert_eq!(retry.body().bytes(), Some(&b"second"[..]));
        assert_eq!(retry.headers().get("content-length"), Some("6"));
    }
}
