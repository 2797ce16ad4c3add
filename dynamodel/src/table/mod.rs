//! Tables from models: definitions, creation, drift checks, deletion.
//!
//! * [`TableDef`] groups the models stored in one table and checks, when
//!   built, that they agree on keys, indexes and attribute types (see
//!   [`shared`](TableDef) for the rules); it also carries the table's
//!   settings: billing ([`Billing`]), stream, tags, table class, deletion
//!   protection, and the TTL attribute a model declares with
//!   `#[dynamodel(ttl)]`.
//! * [`Db::create_table_from`] creates the table of a definition;
//!   [`Db::create_table`] the on-demand table of one model. Both wait until
//!   the table and every GSI are ACTIVE, 120 s at most by default
//!   ([`CreateTable::wait_at_most`]), then enable TTL.
//! * [`Db::ensure_table`] compares the live table with a definition and
//!   returns the differences ([`Drift`]); applying them is opt-in and
//!   additive only: it never deletes a table, an index or data.
//! * [`Db::delete_table`] is the only way dynamodel deletes a table.
//!
//! Nothing here runs implicitly: constructing a [`Db`] sends no request.
//! Every request uses the table name the [`Db`] resolves (prefix, suffix or
//! a name bound at run time, see [`Db::with_table_name`]).

use std::time::Duration;

use crate::trace::Traced;
use crate::{Db, Error, Model, Result};

mod create;
mod definition;
mod ensure;
pub(crate) mod names;
mod settings;
mod shared;
mod switch_on;
pub(crate) mod ttl;
mod wait;

pub use ensure::{Drift, EnsureReport, EnsureTable, Remedy};
pub use settings::{Billing, Throughput};
pub use shared::{IndexDef, ProjectionDef, TableDef, TableDefBuilder};
pub use ttl::HasTtl;
pub use wait::DEFAULT_WAIT;

/// Creates `M`'s on-demand table from its key schema, indexes and TTL.
/// Start it with [`Db::create_table`].
#[must_use = "a create_table does nothing until it is sent with `.send().await` or `.await`"]
#[derive(Debug)]
pub struct CreateTable<M: Model> {
    db: Db,
    wait: Duration,
    model: std::marker::PhantomData<fn() -> M>,
}

/// Creates the table of a [`TableDef`]. Start it with [`Db::create_table_from`].
#[must_use = "a create_table_from does nothing until it is sent with `.send().await` or `.await`"]
#[derive(Debug)]
pub struct CreateTableFrom {
    db: Db,
    def: TableDef,
    wait: Duration,
}

/// Deletes `M`'s table. Start it with [`Db::delete_table`].
#[must_use = "a delete_table does nothing until it is sent with `.send().await` or `.await`"]
#[derive(Debug)]
pub struct DeleteTable<M: Model> {
    db: Db,
    wait: Duration,
    model: std::marker::PhantomData<fn() -> M>,
}

impl Db {
    /// Creates the table of model `M` alone (on-demand billing, its indexes,
    /// TTL when it declares one; [`TableDef::of`]) and waits until it and its
    /// GSIs are ACTIVE. For a table shared by several models, or other
    /// settings, use [`Db::create_table_from`].
    pub fn create_table<M: Model>(&self) -> CreateTable<M> {
        CreateTable {
            db: self.clone(),
            wait: DEFAULT_WAIT,
            model: std::marker::PhantomData,
        }
    }

    /// Creates the table of `def`, with every index its models declare and
    /// its settings, and waits until it and its GSIs are ACTIVE.
    pub fn create_table_from(&self, def: &TableDef) -> CreateTableFrom {
        CreateTableFrom {
            db: self.clone(),
            def: def.clone(),
            wait: DEFAULT_WAIT,
        }
    }

    /// Deletes the table of model `M` and waits until it is gone.
    pub fn delete_table<M: Model>(&self) -> DeleteTable<M> {
        DeleteTable {
            db: self.clone(),
            wait: DEFAULT_WAIT,
            model: std::marker::PhantomData,
        }
    }
}

impl<M: Model> CreateTable<M> {
    /// Waits at most `wait` for the table and its GSIs to become ACTIVE
    /// (default [`DEFAULT_WAIT`], 120 s); past it, [`Error::TableWaitTimeout`].
    pub fn wait_at_most(mut self, wait: Duration) -> Self {
        self.wait = wait;
        self
    }

    /// Sends the request and waits until the table is ACTIVE.
    pub async fn send(self) -> Result<()> {
        let def = TableDef::of::<M>()?;
        let table = self.db.table_name::<M>();
        create::create(&self.db, &def, &table, self.wait).await
    }
}

impl CreateTableFrom {
    /// Waits at most `wait` for the table and its GSIs to become ACTIVE
    /// (default [`DEFAULT_WAIT`], 120 s); past it, [`Error::TableWaitTimeout`].
    pub fn wait_at_most(mut self, wait: Duration) -> Self {
        self.wait = wait;
        self
    }

    /// Sends the request and waits until the table and its GSIs are ACTIVE.
    pub async fn send(self) -> Result<()> {
        let table = self.db.table_name_for(self.def.name());
        create::create(&self.db, &self.def, &table, self.wait).await
    }
}

impl<M: Model> DeleteTable<M> {
    /// Waits at most `wait` for the table to disappear (default 120 s).
    pub fn wait_at_most(mut self, wait: Duration) -> Self {
        self.wait = wait;
        self
    }

    /// Sends the request and waits until the table is gone.
    pub async fn send(self) -> Result<()> {
        let table = self.db.table_name::<M>();
        let span = tracing::debug_span!(
            "dynamodel.request",
            operation = "DeleteTable",
            model = M::MODEL_NAME,
            table = %table
        );
        self.db
            .client()
            .delete_table()
            .table_name(&table)
            .send()
            .traced(span)
            .await
            .map_err(|err| {
                Error::sdk(
                    M::MODEL_NAME,
                    "DeleteTable",
                    &table,
                    err.into_service_error(),
                )
            })?;
        wait::wait_until_deleted(&self.db, M::MODEL_NAME, &table, self.wait).await
    }
}

crate::ops::future::into_future!(CreateTable, ());
crate::ops::future::into_future!(DeleteTable, ());
crate::ops::future::into_future_plain!(CreateTableFrom, ());
