//! Typed views of what errors and batch outputs carry: which model an
//! entry belongs to, its typed key, and its item decoded through the read
//! pipeline.
//!
//! The error types themselves sit below [`Model`] (the trait's methods
//! return them) and import no model code; these methods need models and the
//! read pipeline, which sit above the errors, so they live here, apart.

use std::any::TypeId;

use super::batch::{BatchGetOutput, ReadEntry, UnprocessedKey, UnprocessedWrite, WriteAction};
use super::transaction::CancellationReason;
use crate::pipeline::finish_read;
use crate::query::projection::strip_read_only;
use crate::query::ProjectionOf;
use crate::{Error, Model, Result};

impl Error {
    /// The item that was in the table when a condition (or version check)
    /// failed, decoded into `M`: `None` when the error carries no item.
    pub fn condition_item<M: crate::Model>(&self) -> Option<Result<M>> {
        match self {
            Error::ConditionFailed { item, .. } | Error::VersionConflict { item, .. } => {
                item.as_ref().map(|item| item.decode::<M>())
            }
            _ => None,
        }
    }
}

impl UnprocessedWrite {
    /// Whether this write is of model `M`.
    pub fn is<M: Model>(&self) -> bool {
        self.type_id == TypeId::of::<M>()
    }

    /// The key of the item, typed, if this write is of model `M`.
    pub fn key<M: Model>(&self) -> Option<&M::Key> {
        self.typed_key.downcast_ref::<M::Key>()
    }

    /// The put item decoded as `M` (`None` for deletes and other models).
    pub fn decode<M: Model>(&self) -> Option<Result<M>> {
        match &self.action {
            WriteAction::Put(item) if self.is::<M>() => Some(finish_read::<M>(item.clone())),
            _ => None,
        }
    }
}

impl UnprocessedKey {
    /// Whether this key is of model `M`.
    pub fn is<M: Model>(&self) -> bool {
        self.type_id == TypeId::of::<M>()
    }

    /// The key, typed, if it is of model `M`.
    pub fn typed_key<M: Model>(&self) -> Option<&M::Key> {
        self.typed_key.downcast_ref::<M::Key>()
    }
}

impl BatchGetOutput {
    fn of<M: Model>(&self) -> impl Iterator<Item = &ReadEntry> {
        self.entries
            .iter()
            .filter(|entry| entry.type_id == TypeId::of::<M>())
    }

    /// The found items of model `M`, in the order their keys were asked for
    /// (a key asked twice gives its item twice); fails on the first that does
    /// not decode (see [`BatchGetOutput::items_and_errors`]).
    pub fn items<M: Model>(&self) -> Result<Vec<M>> {
        self.found::<M>()
            .map(|(_, item)| finish_read::<M>(item.clone()))
            .collect()
    }

    /// The found items of model `M` that decode, in the order their keys were
    /// asked for, and one error per item that does not: [`Error::Item`]
    /// (`BatchGetItem`) with the position of its key in the batch (0-based,
    /// all models together, in the order added) and the cause, which names
    /// the attribute and never shows a value.
    pub fn items_and_errors<M: Model>(&self) -> (Vec<M>, Vec<Error>) {
        let mut items = Vec::new();
        let mut errors = Vec::new();
        for (index, item) in self.found::<M>() {
            match finish_read::<M>(item.clone()) {
                Ok(item) => items.push(item),
                Err(error) => errors.push(Error::Item {
                    operation: "BatchGetItem",
                    index,
                    source: Box::new(error),
                }),
            }
        }
        (items, errors)
    }

    /// The item found for `entry`, if it is of model `M`'s entity: an item
    /// of another entity under the same key counts as not found.
    fn lookup_as<M: Model>(&self, entry: &ReadEntry) -> Option<&crate::Item> {
        self.lookup(entry)
            .filter(|item| crate::entity::accepts::<M>(item))
    }

    /// The found items of model `M` read whole, with the position of their
    /// key in the batch.
    fn found<M: Model>(&self) -> impl Iterator<Item = (usize, &crate::Item)> {
        self.found_as::<M>(false)
    }

    /// The found items of model `M` read whole (`projected` false) or
    /// projected, with the position of their key in the batch.
    fn found_as<M: Model>(&self, projected: bool) -> impl Iterator<Item = (usize, &crate::Item)> {
        self.entries
            .iter()
            .enumerate()
            .filter(move |(_, entry)| {
                entry.type_id == TypeId::of::<M>() && entry.projection.is_some() == projected
            })
            .filter_map(|(index, entry)| self.lookup_as::<M>(entry).map(|item| (index, item)))
    }

    /// The found items of model `M` asked for projected (`get_projected`),
    /// decoded into the projection `Q`, in the order their keys were asked
    /// for; fails on the first that does not decode.
    pub fn projected_items<M: Model, Q: ProjectionOf<M>>(&self) -> Result<Vec<Q>> {
        self.decode_all::<M, Q>(Some(Q::ATTRIBUTES))
    }

    /// [`BatchGetOutput::projected_items`], with one error per item that
    /// does not decode instead of failing (as
    /// [`BatchGetOutput::items_and_errors`]).
    pub fn projected_items_and_errors<M: Model, Q: ProjectionOf<M>>(&self) -> (Vec<Q>, Vec<Error>) {
        self.decode_each::<M, Q>(Some(Q::ATTRIBUTES))
    }

    /// For every key of model `M` asked for, in order: the key and the item,
    /// or `None` when no item has the key.
    pub fn results<M: Model>(&self) -> Result<Vec<(M::Key, Option<M>)>> {
        self.of::<M>()
            .filter_map(|entry| {
                let key = entry.typed_key.downcast_ref::<M::Key>()?.clone();
                Some(
                    self.lookup_as::<M>(entry)
                        .map(|item| finish_read::<M>(item.clone()))
                        .transpose()
                        .map(|item| (key, item)),
                )
            })
            .collect()
    }

    /// The keys of model `M` that no item has, in the order asked for.
    pub fn missing<M: Model>(&self) -> Vec<M::Key> {
        self.of::<M>()
            .filter(|entry| self.lookup_as::<M>(entry).is_none())
            .filter_map(|entry| entry.typed_key.downcast_ref::<M::Key>().cloned())
            .collect()
    }
}

impl BatchGetOutput {
    /// The found items of `M` read whole (`projected` `None`) or projected
    /// to the attributes `projected`, decoded into `P`; fails on the first
    /// that does not decode.
    pub(crate) fn decode_all<M: Model, P: Model>(
        &self,
        projected: Option<&'static [&'static str]>,
    ) -> Result<Vec<P>> {
        self.found_as::<M>(projected.is_some())
            .map(|(_, item)| decode_read::<M, P>(item, projected))
            .collect()
    }

    /// [`BatchGetOutput::decode_all`], with one error per item that does not decode.
    pub(crate) fn decode_each<M: Model, P: Model>(
        &self,
        projected: Option<&'static [&'static str]>,
    ) -> (Vec<P>, Vec<Error>) {
        let mut items = Vec::new();
        let mut errors = Vec::new();
        for (index, item) in self.found_as::<M>(projected.is_some()) {
            match decode_read::<M, P>(item, projected) {
                Ok(item) => items.push(item),
                Err(error) => errors.push(Error::Item {
                    operation: "BatchGetItem",
                    index,
                    source: Box::new(error),
                }),
            }
        }
        (items, errors)
    }
}

/// An item of `M` decoded into `P`; a projected one (`projected`, the
/// projection's attributes) without the attributes the read asked for
/// only to check it.
fn decode_read<M: Model, P: Model>(
    item: &crate::Item,
    projected: Option<&'static [&'static str]>,
) -> Result<P> {
    let mut item = item.clone();
    if let Some(projected) = projected {
        strip_read_only::<M>(&mut item, projected);
    }
    finish_read::<P>(item)
}

impl CancellationReason {
    /// The stored item decoded as `M`; `None` when there is no item or the
    /// action is not on model `M`.
    pub fn item<M: Model>(&self) -> Option<Result<M>> {
        if self.type_id != TypeId::of::<M>() {
            return None;
        }
        self.item.clone().map(finish_read::<M>)
    }
}
