//! Dry runs: the exact request an operation would send, without sending it.

use std::collections::HashMap;
use std::fmt;

use aws_sdk_dynamodb::types::{AttributeValue, ReturnValue};

use crate::redact::RedactedMap;
use crate::Item;

/// The request an operation sends to DynamoDB, built without sending it
/// (`db.update::<User>(key).set(...).to_request()?`): expressions with their
/// placeholders, the names and values those stand for, the key or item.
///
/// `Debug` shows names and expressions but redacts every attribute value
/// (keys often hold personal data); the accessors give the values.
#[derive(Clone, PartialEq)]
pub struct Request {
    pub(crate) operation: &'static str,
    pub(crate) table: String,
    pub(crate) key: Option<Item>,
    pub(crate) item: Option<Item>,
    pub(crate) update_expression: Option<String>,
    pub(crate) condition_expression: Option<String>,
    pub(crate) names: Option<HashMap<String, String>>,
    pub(crate) values: Option<HashMap<String, AttributeValue>>,
    pub(crate) return_values: Option<ReturnValue>,
    pub(crate) consistent_read: Option<bool>,
    pub(crate) projection_expression: Option<String>,
}

impl Request {
    pub(crate) fn new(operation: &'static str, table: String) -> Self {
        Request {
            operation,
            table,
            key: None,
            item: None,
            update_expression: None,
            condition_expression: None,
            names: None,
            values: None,
            return_values: None,
            consistent_read: None,
            projection_expression: None,
        }
    }

    /// The DynamoDB operation: `PutItem`, `GetItem`, `UpdateItem`, `DeleteItem`.
    pub fn operation(&self) -> &'static str {
        self.operation
    }

    /// The table (with the [`crate::Db`]'s prefix).
    pub fn table(&self) -> &str {
        &self.table
    }

    /// `Key` (get, update, delete).
    pub fn key(&self) -> Option<&Item> {
        self.key.as_ref()
    }

    /// `Item` (put).
    pub fn item(&self) -> Option<&Item> {
        self.item.as_ref()
    }

    /// `UpdateExpression` (update).
    pub fn update_expression(&self) -> Option<&str> {
        self.update_expression.as_deref()
    }

    /// `ConditionExpression`.
    pub fn condition_expression(&self) -> Option<&str> {
        self.condition_expression.as_deref()
    }

    /// `ExpressionAttributeNames`: placeholder to attribute name.
    pub fn names(&self) -> Option<&HashMap<String, String>> {
        self.names.as_ref()
    }

    /// `ExpressionAttributeValues`: placeholder to value.
    pub fn values(&self) -> Option<&HashMap<String, AttributeValue>> {
        self.values.as_ref()
    }

    /// `ReturnValues`.
    pub fn return_values(&self) -> Option<&ReturnValue> {
        self.return_values.as_ref()
    }

    /// `ConsistentRead` (get): `Some(true)` for a consistent read, left
    /// out (`None`, DynamoDB's default: eventually consistent) otherwise.
    pub fn consistent_read(&self) -> Option<bool> {
        self.consistent_read
    }

    /// `ProjectionExpression` (a projected get): placeholders, see [`Request::names`].
    pub fn projection_expression(&self) -> Option<&str> {
        self.projection_expression.as_deref()
    }
}

impl fmt::Debug for Request {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = f.debug_struct("Request");
        s.field("operation", &self.operation)
            .field("table", &self.table);
        if let Some(key) = &self.key {
            s.field("key", &RedactedMap(key));
        }
        if let Some(item) = &self.item {
            s.field("item", &RedactedMap(item));
        }
        if let Some(e) = &self.update_expression {
            s.field("update_expression", e);
        }
        if let Some(e) = &self.condition_expression {
            s.field("condition_expression", e);
        }
        if let Some(names) = &self.names {
            let mut names: Vec<_> = names.iter().collect();
            names.sort();
            s.field("names", &names);
        }
        if let Some(values) = &self.values {
            s.field("values", &RedactedMap(values));
        }
        if let Some(r) = &self.return_values {
            s.field("return_values", r);
        }
        if let Some(c) = &self.consistent_read {
            s.field("consistent_read", c);
        }
        if let Some(e) = &self.projection_expression {
            s.field("projection_expression", e);
        }
        s.finish()
    }
}

/// The error for an SDK request builder that refused its input (a required
/// field missing): a bug in dynamodel rather than in the caller's data.
/// Out of line: every request builder's hot path only calls it.
#[cold]
#[inline(never)]
pub(crate) fn build_error(model: &'static str, err: impl fmt::Display) -> crate::Error {
    crate::Error::InvalidRequest {
        model,
        message: format!("could not build the request: {err}"),
    }
}
