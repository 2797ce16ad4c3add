//! The former home of the write and read pipelines, kept so that existing
//! paths work: the pipelines and their documented order now live in
//! [`crate::pipeline`], the key schema types in [`crate::key_schema`].

pub use crate::pipeline::finish_read;
pub use crate::write_kind::{UpdateKind, WriteKind};
use crate::{Item, Model, Result};

/// Turns a model into the item to send through the write pipeline, without
/// the version step (the item keeps the version it was read with), and
/// checks it against DynamoDB's limits (key values, 400 KB).
///
/// Prefer [`crate::pipeline::PreparedWrite::new`], which also bumps the
/// version and returns the check the write must carry.
pub fn prepare_write<M: Model>(model: &M, kind: WriteKind) -> Result<Item> {
    crate::pipeline::write::prepare_unversioned(model, kind)
}
