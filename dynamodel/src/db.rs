//! [`Db`]: the handle every operation starts from.

use aws_sdk_dynamodb::Client;

use crate::table::names::TableNames;
use crate::Model;

/// A DynamoDB client plus dynamodel's settings; cheap to clone.
///
/// Every operation starts here: `db.put(&user)`, `db.get::<User>(id)`,
/// `db.create_table::<User>()`.
#[derive(Clone, Debug)]
pub struct Db {
    client: Client,
    table_names: TableNames,
    cursor_secret: Option<crate::query::CursorSecret>,
}

impl Db {
    /// Wraps an `aws_sdk_dynamodb::Client` (from `aws_config`, or from
    /// `dynamodel::local::client()` in tests).
    ///
    /// The client is rebuilt once from its own configuration with one
    /// interceptor added, which lets a retried batch or transaction send
    /// the bytes of its first attempt again (see [`Db::client`]); its
    /// interceptors, credentials, HTTP client and settings are kept.
    pub fn new(client: Client) -> Self {
        Db {
            client: crate::ops::replay::with_replay(client),
            table_names: TableNames::default(),
            cursor_secret: None,
        }
    }

    /// Prefixes every model's table name with `prefix` (for example
    /// `"staging-"`, or a unique prefix per test). Tables bound to a name
    /// with [`Db::with_table_name`] are not prefixed.
    pub fn with_table_prefix(mut self, prefix: impl Into<String>) -> Self {
        self.table_names.set_prefix(prefix.into());
        self
    }

    /// Appends `suffix` to every model's table name (for example `"-prod"`,
    /// giving `users-prod`). Tables bound to a name with
    /// [`Db::with_table_name`] get no suffix.
    pub fn with_table_suffix(mut self, suffix: impl Into<String>) -> Self {
        self.table_names.set_suffix(suffix.into());
        self
    }

    /// Uses the table `name` (exactly as given: no prefix, no suffix) for
    /// `M`'s table, for every operation of this handle: reads, writes,
    /// queries, batches, transactions and table DDL. The name can come from
    /// configuration or be a table another application created.
    ///
    /// The binding is by table, not by model: every model declaring the same
    /// table as `M` (`#[dynamodel(table = "...")]`) moves with it, as does a
    /// [`TableDef`](crate::table::TableDef) of that table.
    ///
    /// ```
    /// # use dynamodel::{Db, Model};
    /// # #[derive(Model)]
    /// # #[dynamodel(table = "users")]
    /// # struct User { #[dynamodel(hash_key)] id: String }
    /// # fn demo(db: Db) {
    /// let db = db.with_table_name::<User>("users-2026-eu");
    /// assert_eq!(db.table_name::<User>(), "users-2026-eu");
    /// # }
    /// ```
    pub fn with_table_name<M: Model>(self, name: impl Into<String>) -> Self {
        self.with_named_table(M::TABLE_NAME, name)
    }

    /// Uses the table `name` (exactly as given) for the table declared as
    /// `declared` (`#[dynamodel(table = "...")]`, or a
    /// [`TableDef`](crate::table::TableDef)'s name): [`Db::with_table_name`]
    /// when no model type is at hand.
    pub fn with_named_table(mut self, declared: &str, name: impl Into<String>) -> Self {
        self.table_names.bind(declared, name.into());
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
    ///
    /// It is the client given to [`Db::new`] with dynamodel's replay
    /// interceptor appended: that interceptor acts only on the batch and
    /// transaction requests dynamodel itself sends again after a failure,
    /// and leaves every other request untouched.
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// The name of `M`'s table as this handle sends it: the name bound with
    /// [`Db::with_table_name`], or the declared name with this handle's
    /// prefix and suffix.
    pub fn table_name<M: Model>(&self) -> String {
        self.table_names.resolve(M::TABLE_NAME)
    }

    /// Whether `other` names every table as this handle does, known
    /// cheaply: it is a clone whose naming rules were not changed since.
    pub(crate) fn names_tables_as(&self, other: &Db) -> bool {
        self.table_names.same_rules(&other.table_names)
    }

    /// The name this handle sends for the table declared as `declared`
    /// (see [`Db::table_name`]).
    pub fn table_name_for(&self, declared: &str) -> String {
        self.table_names.resolve(declared)
    }
}
