//! What the paging engine turns each item read into: one model (queries
//! and scans) or one of a collection's members (collection queries). The
//! engine (pages, cursors, fill-to-N, streams) is the same for both.

use std::marker::PhantomData;

use crate::{Item, Model, Result};

/// Decodes one item read by a query or scan.
pub(crate) trait Decode: 'static {
    /// What an item becomes.
    type Output: Send + 'static;

    /// Decodes `item`; an error is reported per item (see [`super::Page::errors`]).
    fn decode(item: Item) -> Result<Self::Output>;
}

/// Decodes items into model `P` through the read pipeline.
pub(crate) struct AsModel<P>(PhantomData<fn() -> P>);

impl<P: Model> Decode for AsModel<P> {
    type Output = P;

    fn decode(item: Item) -> Result<P> {
        crate::pipeline::finish_read::<P>(item)
    }
}
