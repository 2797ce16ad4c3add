//! An HTTP client that never touches the network: it answers every request
//! at once with a canned, valid DynamoDB response for its operation, so a
//! run measures the client side alone (building, signing and serialising
//! requests, parsing responses, and the library around them).
//!
//! Reads answer with real items of the benchmark model: `GetItem` one,
//! `Query` and `Scan` one page of [`PAGE_ITEMS`], `UpdateItem` the item as
//! its `ALL_NEW` attributes, `DeleteItem` as its `ALL_OLD` ones. Writes
//! answer as fully processed.

use aws_sdk_dynamodb::types::AttributeValue;
use aws_smithy_runtime_api::client::http::{
    http_client_fn, HttpConnector, HttpConnectorFuture, SharedHttpClient, SharedHttpConnector,
};
use aws_smithy_runtime_api::client::orchestrator::{HttpRequest, HttpResponse};
use aws_smithy_runtime_api::http::StatusCode;
use aws_smithy_types::body::SdkBody;
use bytes::Bytes;
use dynamodel::{Item, Model};

use crate::counting::operation_of;

/// Items in each canned `Query` and `Scan` page.
pub const PAGE_ITEMS: usize = 100;

/// The canned response bodies, one per operation.
#[derive(Debug, Clone)]
struct Canned {
    get: Bytes,
    page: Bytes,
    update: Bytes,
    batch_write: Bytes,
    empty: Bytes,
}

impl Canned {
    fn new() -> Self {
        let item = item_json(
            &crate::model::order("p".to_owned(), 7)
                .to_item()
                .unwrap_or_default(),
        );
        let items: Vec<String> = (0..PAGE_ITEMS)
            .map(|i| {
                item_json(
                    &crate::model::order("p".to_owned(), i)
                        .to_item()
                        .unwrap_or_default(),
                )
            })
            .collect();
        Canned {
            get: Bytes::from(format!("{{\"Item\":{item}}}")),
            page: Bytes::from(format!(
                "{{\"Count\":{PAGE_ITEMS},\"ScannedCount\":{PAGE_ITEMS},\"Items\":[{}]}}",
                items.join(",")
            )),
            update: Bytes::from(format!("{{\"Attributes\":{item}}}")),
            batch_write: Bytes::from_static(b"{\"UnprocessedItems\":{}}"),
            empty: Bytes::from_static(b"{}"),
        }
    }

    fn body(&self, operation: &str) -> Bytes {
        match operation {
            "GetItem" => self.get.clone(),
            "Query" | "Scan" => self.page.clone(),
            // DeleteItem asks for the old item: the same `Attributes`.
            "UpdateItem" | "DeleteItem" => self.update.clone(),
            "BatchWriteItem" => self.batch_write.clone(),
            _ => self.empty.clone(),
        }
    }
}

#[derive(Debug)]
struct NullConnector {
    canned: Canned,
}

impl HttpConnector for NullConnector {
    fn call(&self, request: HttpRequest) -> HttpConnectorFuture {
        let target = request.headers().get("x-amz-target").unwrap_or("");
        let body = self.canned.body(operation_of(target));
        let mut response = HttpResponse::new(
            StatusCode::try_from(200).unwrap_or_else(|_| unreachable!("200 is a status")),
            SdkBody::from(body),
        );
        response
            .headers_mut()
            .insert("content-type", "application/x-amz-json-1.0");
        HttpConnectorFuture::ready(Ok(response))
    }
}

/// The HTTP client answering canned responses.
pub fn client() -> SharedHttpClient {
    let connector = SharedHttpConnector::new(NullConnector {
        canned: Canned::new(),
    });
    http_client_fn(move |_, _| connector.clone())
}

/// An SDK client whose requests go to the null HTTP client (no network).
pub fn sdk_client() -> aws_sdk_dynamodb::Client {
    let config = aws_sdk_dynamodb::Config::builder()
        .behavior_version(aws_sdk_dynamodb::config::BehaviorVersion::latest())
        .region(aws_sdk_dynamodb::config::Region::new("us-east-1"))
        .credentials_provider(aws_sdk_dynamodb::config::Credentials::new(
            "bench", "bench", None, None, "bench",
        ))
        .endpoint_url("http://127.0.0.1:9")
        .http_client(client())
        .build();
    aws_sdk_dynamodb::Client::from_conf(config)
}

/// `item` in DynamoDB's JSON wire format.
pub fn item_json(item: &Item) -> String {
    let mut out = String::new();
    write_map(&mut out, item.iter());
    out
}

fn write_map<'a>(
    out: &mut String,
    entries: impl Iterator<Item = (&'a String, &'a AttributeValue)>,
) {
    out.push('{');
    for (i, (name, value)) in entries.enumerate() {
        if i > 0 {
            out.push(',');
        }
        write_str(out, name);
        out.push(':');
        write_value(out, value);
    }
    out.push('}');
}

fn write_str(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c => out.push(c),
        }
    }
    out.push('"');
}

fn write_list<'a>(out: &mut String, tag: &str, values: impl Iterator<Item = &'a String>) {
    out.push_str("{\"");
    out.push_str(tag);
    out.push_str("\":[");
    for (i, v) in values.enumerate() {
        if i > 0 {
            out.push(',');
        }
        write_str(out, v);
    }
    out.push_str("]}");
}

fn write_value(out: &mut String, value: &AttributeValue) {
    match value {
        AttributeValue::S(s) => {
            out.push_str("{\"S\":");
            write_str(out, s);
            out.push('}');
        }
        AttributeValue::N(n) => {
            out.push_str("{\"N\":");
            write_str(out, n);
            out.push('}');
        }
        AttributeValue::Bool(b) => out.push_str(if *b {
            "{\"BOOL\":true}"
        } else {
            "{\"BOOL\":false}"
        }),
        AttributeValue::Null(_) => out.push_str("{\"NULL\":true}"),
        AttributeValue::Ss(v) => write_list(out, "SS", v.iter()),
        AttributeValue::Ns(v) => write_list(out, "NS", v.iter()),
        AttributeValue::M(map) => {
            out.push_str("{\"M\":");
            write_map(out, map.iter());
            out.push('}');
        }
        AttributeValue::L(list) => {
            out.push_str("{\"L\":[");
            for (i, v) in list.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_value(out, v);
            }
            out.push_str("]}");
        }
        // The benchmark model has no binary attributes.
        _ => out.push_str("{\"NULL\":true}"),
    }
}
