//! Which write is being prepared. Hooks, timestamps and the pipelines all
//! depend on it, so it sits below them and imports nothing.

/// Why an item is being written: `created_at`-style settings apply only on create.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum WriteKind {
    /// A write that must not replace an existing item (`create`).
    Create,
    /// A write that may replace an existing item (`put`).
    Put,
}

/// Which update is being built: what it writes on its own depends on whether
/// it may create the item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum UpdateKind {
    /// `db.update(key)`: the item must exist.
    Update,
    /// `db.upsert(key)`: the item is created when missing.
    Upsert,
}
