//! [`CollectionQuery`]: one query over a shared partition, its items decoded
//! into a [`Collection`] enum, through the same paging engine as single-model
//! queries (see [`crate::collection`]).

use std::marker::PhantomData;

use futures::stream::BoxStream;

use super::decode::Decode;
use super::index::{Index, PrefixSortKey, Queryable, SortKey};
use super::key_condition::SortCond;
use super::read::{encode_key_value, encode_value, Op, Page, Spec};
use super::setters::spec_setters;
use crate::collection::{Collection, Member};
use crate::entity::{name_is, name_value};
use crate::error::KeyDescription;
use crate::expr::{Comparator, Condition, ConditionNode, Operand, Path};
use crate::{AttributeValue, Db, Error, Item, Model, Result};

/// A query returning the items of several entities of one partition,
/// decoded into the collection enum `C`. Start it with [`Db::collection`]
/// (the table: `S` is [`OnTable`], and sort-key conditions are typed by a
/// member's sort key) or [`Db::collection_index`] (a secondary index of
/// the first member: `S` is [`OnIndex`], without sort-key conditions).
#[must_use = "a query does nothing until it is sent with `.page()`, `.fill(n)`, `.all()`, `.stream()` or `.count()`"]
#[derive(Debug)]
pub struct CollectionQuery<C: Collection, S = OnTable> {
    spec: Spec<C::Anchor>,
    report_unlisted: bool,
    collection: PhantomData<fn() -> (C, S)>,
}

/// A [`CollectionQuery`] on the table: its sort-key conditions take a
/// member's sort key.
#[derive(Debug)]
pub enum OnTable {}

/// A [`CollectionQuery`] through a secondary index: the members' table
/// sort keys do not type the index's, so it has no sort-key conditions.
#[derive(Debug)]
pub enum OnIndex {}

/// Decodes an item into the member its entity attribute names.
struct AsCollection<C>(PhantomData<fn() -> C>);

impl<C: Collection> Decode for AsCollection<C> {
    type Output = C;

    fn decode(item: Item) -> Result<C> {
        let listed = match item.get(C::ENTITY_ATTRIBUTE) {
            Some(AttributeValue::S(entity)) if C::ENTITIES.contains(&entity.as_str()) => {
                Some(entity.clone())
            }
            _ => None,
        };
        let unlisted = |key| Error::UnlistedEntity {
            collection: C::NAME,
            key,
        };
        match listed {
            Some(entity) => C::decode_member(&entity, item)
                .unwrap_or_else(|| Err(unlisted(KeyDescription::default()))),
            None => {
                let names = <C::Anchor as Model>::key_schema().names();
                Err(unlisted(KeyDescription::from_item(&item, &names)))
            }
        }
    }
}

impl Db {
    /// Queries the partition `partition` of the collection `C`'s table,
    /// returning the items of every member entity (see [`crate::collection`]).
    pub fn collection<C: Collection>(
        &self,
        partition: impl Into<<C::Anchor as Queryable>::Hash>,
    ) -> CollectionQuery<C> {
        let mut spec = Spec::<C::Anchor>::new(self, Op::Query);
        spec.label = C::NAME;
        let name = <C::Anchor as Model>::key_schema().hash.name;
        let value = encode_value(&mut spec, name, &partition.into());
        spec.hash = Some((name, value));
        CollectionQuery {
            spec,
            report_unlisted: false,
            collection: PhantomData,
        }
    }

    /// Queries the partition `partition` of a secondary index of the
    /// collection's first member, named by its generated handle
    /// (`Customer::indexes().by_region`): the items of every member entity
    /// the index holds under that key.
    pub fn collection_index<C: Collection, I: Index<Model = C::Anchor>>(
        &self,
        index: I,
        partition: impl Into<I::Hash>,
    ) -> CollectionQuery<C, OnIndex> {
        let schema = index.schema();
        let mut spec = Spec::<C::Anchor>::new(self, Op::Query);
        spec.label = C::NAME;
        let attrs = schema.hash_attributes();
        let mut values = spec
            .key_values(&attrs, &partition.into(), true)
            .unwrap_or_default()
            .into_iter();
        spec.hash = Some(
            values
                .next()
                .unwrap_or((schema.hash.name, AttributeValue::Null(true))),
        );
        spec.extra_hash = values.collect();
        spec.index = Some(schema);
        CollectionQuery {
            spec,
            report_unlisted: false,
            collection: PhantomData,
        }
    }
}

impl<C: Collection, S> CollectionQuery<C, S> {
    /// Keeps the items of member `T` for which `condition` holds; the other
    /// members' items are not affected. Several calls combine with AND.
    /// DynamoDB applies filters after reading: `limit` counts items before.
    pub fn filter<T: Member<C>>(mut self, condition: Condition<T>) -> Self {
        let entity = crate::collection::checks::entity_name::<T>().unwrap_or(T::MODEL_NAME);
        let other = ConditionNode::Compare(
            Operand::Path(Path::attribute(C::ENTITY_ATTRIBUTE)),
            Comparator::Ne,
            name_value(C::ENTITY_ATTRIBUTE, entity),
        );
        let node = ConditionNode::Or(vec![other, condition.into_node()]);
        let added = Condition::<C::Anchor>::from_node(node);
        self.spec.filter = Some(match self.spec.filter.take() {
            Some(previous) => previous.and(added),
            None => added,
        });
        self
    }

    /// Reports the items of entities `C` does not list (and items without
    /// an entity attribute) as [`Error::UnlistedEntity`] instead of skipping
    /// them on the server.
    pub fn report_unlisted(mut self) -> Self {
        self.report_unlisted = true;
        self
    }

    spec_setters!(C::Anchor);

    /// Returns items in descending sort-key order (ascending by default).
    pub fn descending(mut self) -> Self {
        self.spec.descending = true;
        self
    }

    /// The engine's spec, with the entity filter this query needs.
    fn into_spec(mut self) -> Spec<C::Anchor> {
        self.spec.entity = if self.report_unlisted {
            None
        } else {
            Some(listed::<C>())
        };
        self.spec
    }

    /// Sends one request and returns its page: the items, an error per item
    /// that does not decode (see [`Page::errors`]), and a cursor for the rest.
    pub async fn page(self) -> Result<Page<C>> {
        self.into_spec().page::<AsCollection<C>>().await
    }

    /// Fetches pages until `n` items pass the filters and decode (or the
    /// partition ends) and returns exactly those; the cursor resumes right
    /// after the last item returned.
    pub async fn fill(self, n: usize) -> Result<Page<C>> {
        self.into_spec().fill::<AsCollection<C>>(n).await
    }

    /// All the items as a stream that fetches pages as they are consumed;
    /// an item that does not decode is an `Err` and the stream goes on
    /// (`.strict()`: ends there).
    pub fn stream(self) -> BoxStream<'static, Result<C>> {
        self.into_spec().stream::<AsCollection<C>>()
    }

    /// Every item (all pages); fails on the first that does not decode.
    pub async fn all(self) -> Result<Vec<C>> {
        self.into_spec()
            .collect::<AsCollection<C>>(usize::MAX)
            .await
    }

    /// At most `max` items: fetching stops once `max` are read.
    pub async fn all_max(self, max: usize) -> Result<Vec<C>> {
        self.into_spec().collect::<AsCollection<C>>(max).await
    }

    /// The number of matching items, without reading them.
    pub async fn count(self) -> Result<u64> {
        self.into_spec().count().await
    }
}

impl<C: Collection> CollectionQuery<C, OnTable> {
    fn sort_with(
        mut self,
        make: impl FnOnce(&mut Spec<C::Anchor>, &'static str) -> SortCond,
    ) -> Self {
        let Some(name) = self.spec.sort_attr() else {
            self.spec.defer(Spec::<C::Anchor>::invalid(
                "a sort-key condition needs a sort key",
            ));
            return self;
        };
        if self.spec.sort.is_some() {
            self.spec.defer(Spec::<C::Anchor>::invalid(
                "a query takes one sort-key condition: use `sort_between` for a range",
            ));
        }
        let cond = make(&mut self.spec, name);
        self.spec.sort = Some(cond);
        self
    }

    fn sort_cmp<T: Member<C>>(self, op: Comparator, value: T::Range) -> Self
    where
        T::Range: SortKey,
    {
        self.sort_with(|spec, name| SortCond::Cmp(op, encode_key_value(spec, name, &value)))
    }

    /// Sort key `= value`, a sort key of member `T`.
    pub fn sort_eq<T: Member<C>>(self, value: impl Into<T::Range>) -> Self
    where
        T::Range: SortKey,
    {
        self.sort_cmp::<T>(Comparator::Eq, value.into())
    }

    /// Sort key `< value`, a sort key of member `T`.
    pub fn sort_lt<T: Member<C>>(self, value: impl Into<T::Range>) -> Self
    where
        T::Range: SortKey,
    {
        self.sort_cmp::<T>(Comparator::Lt, value.into())
    }

    /// Sort key `<= value`, a sort key of member `T`.
    pub fn sort_le<T: Member<C>>(self, value: impl Into<T::Range>) -> Self
    where
        T::Range: SortKey,
    {
        self.sort_cmp::<T>(Comparator::Le, value.into())
    }

    /// Sort key `> value`, a sort key of member `T`.
    pub fn sort_gt<T: Member<C>>(self, value: impl Into<T::Range>) -> Self
    where
        T::Range: SortKey,
    {
        self.sort_cmp::<T>(Comparator::Gt, value.into())
    }

    /// Sort key `>= value`, a sort key of member `T`.
    pub fn sort_ge<T: Member<C>>(self, value: impl Into<T::Range>) -> Self
    where
        T::Range: SortKey,
    {
        self.sort_cmp::<T>(Comparator::Ge, value.into())
    }

    /// Sort key `BETWEEN low AND high` (both included): sort keys of
    /// members `T` and `U` (`.sort_between::<Customer, Order>(..)` spans
    /// a customer's profile to their last order).
    pub fn sort_between<T: Member<C>, U: Member<C>>(
        self,
        low: impl Into<T::Range>,
        high: impl Into<U::Range>,
    ) -> Self
    where
        T::Range: SortKey,
        U::Range: SortKey,
    {
        let (low, high) = (low.into(), high.into());
        self.sort_with(|spec, name| {
            SortCond::Between(
                encode_key_value(spec, name, &low),
                encode_key_value(spec, name, &high),
            )
        })
    }

    /// Sort key `begins_with(prefix)`, a sort key (prefix) of member `T`.
    pub fn sort_begins_with<T: Member<C>>(self, prefix: impl Into<T::Range>) -> Self
    where
        T::Range: PrefixSortKey,
    {
        let prefix = prefix.into();
        self.sort_with(|spec, name| SortCond::BeginsWith(encode_key_value(spec, name, &prefix)))
    }
}

/// The filter keeping the entities `C` lists: `entity IN (names)`.
fn listed<C: Collection>() -> ConditionNode {
    match C::ENTITIES {
        [one] => name_is(C::ENTITY_ATTRIBUTE, one),
        names => ConditionNode::In(
            Operand::Path(Path::attribute(C::ENTITY_ATTRIBUTE)),
            names
                .iter()
                .map(|name| name_value(C::ENTITY_ATTRIBUTE, name))
                .collect(),
        ),
    }
}
