//! [`Db`]: the handle every operation starts from.

use std::sync::Arc;

use aws_sdk_dynamodb::Client;

use crate::Model;

/// A DynamoDB client plus dynamodel's settings; cheap to clone.
///
/// Every operation starts here: `db.put(&user)`, `db.get::<User>(id)`,
/// `db.create_table::<User>()`.
#[derive(Clone, Debug)]
pub struct Db {
    client: Client,
    table_prefix: Arc<str>,
}

impl Db {
    /// Wraps an `aws_sdk_dynamodb::Client` (from `aws_config`, or from
    /// `dynamodel::local::client()` in tests).
    pub fn new(client: Client) -> Self {
        Db {
            client,
            table_prefix: Arc::from(""),
        }
    }

    /// Prefixes every model's table name with `prefix` (for example
    /// `"staging-"`, or a unique prefix per test).
    pub fn with_table_prefix(mut self, prefix: impl Into<String>) -> Self {
        self.table_prefix = Arc::from(prefix.into());
        self
    }

    /// The underlying SDK client, for anything dynamodel does not cover.
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// The name of `M`'s table as this handle uses it (prefix included).
    pub fn table_name<M: Model>(&self) -> String {
        format!("{}{}", self.table_prefix, M::TABLE_NAME)
    }
}
