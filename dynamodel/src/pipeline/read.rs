//! The read pipeline: from a stored item to the model. The order is
//! documented in [`crate::pipeline`].

use crate::redact::RedactedItem;
use crate::{Item, Model, Result};

/// Turns a stored item into the model: decoding, `get` transforms, then the
/// `after_load` hook.
pub fn finish_read<M: Model>(item: Item) -> Result<M> {
    let mut model = M::from_item(item)?;
    model.apply_get_transforms();
    model
        .after_load_hook()
        .map_err(|source| super::hook_error::<M>("after_load", source))?;
    Ok(model)
}

// Here rather than in `redact`, so that the redaction wrapper (which error
// types hold) does not depend on models and the pipeline.
impl RedactedItem {
    /// Decodes the item into model `M` through the read pipeline.
    pub fn decode<M: Model>(&self) -> Result<M> {
        finish_read::<M>(self.item().clone())
    }
}
