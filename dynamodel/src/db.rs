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
    cursor_secret: Option<crate::query::CursorSecret>,
}

impl Db {
    /// Wraps an `aws_sdk_dynamodb::Client` (from `aws_config`, or from
    /// `dynamodel::local::client()` in tests).
    pub fn new(client: Client) -> Self {
        Db {
            client,
            table_prefix: Arc::from(""),
            cursor_secret: None,
        }
    }

    /// Prefixes every model's table name with `prefix` (for example
    /// `"staging-"`, or a unique prefix per test).
    pub fn with_table_prefix(mut self, prefix: impl Into<String>) -> Self {
        self.table_prefix = Arc::from(prefix.into());
        self
    }

    /// Encrypts and authenticates pagination cursors under `secret`
    /// (XChaCha20-Poly1305, key derived with HKDF-SHA-256): clients can
    /// neither read the key values a cursor carries nor forge or alter one.
    /// Without it cursors are still bound to their read and checked against
    /// alteration, with a fixed key, but readable and forgeable by whoever
    /// reads dynamodel's source (see [`crate::query::cursor`]). Use the same
    /// secret on every instance that takes cursors back; changing it
    /// invalidates cursors already handed out.
    pub fn with_cursor_secret(mut self, secret: impl AsRef<[u8]>) -> Self {
        self.cursor_secret = Some(crate::query::CursorSecret::new(secret));
        self
    }

    pub(crate) fn cursor_secret(&self) -> Option<&crate::query::CursorSecret> {
        self.cursor_secret.as_ref()
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
