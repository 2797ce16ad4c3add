//! The query and scan builders, and the page-fetching engine they share.

use std::marker::PhantomData;
use std::sync::Arc;

use crate::trace::Traced;
use aws_sdk_dynamodb::types::Select;
use futures::stream::{self, BoxStream, StreamExt, TryStreamExt};

use super::cursor::{self, Binding};
use super::decode::{AsModel, Decode};
use super::index::{Index, KeyValues, NoSortKey, PrefixSortKey, Queryable, SortKey};
use super::key_condition::SortCond;
use super::pacing::Pace;
use super::setters::spec_setters;
use crate::expr::{Comparator, Condition, ConditionNode, ExprBuilder};
use crate::ops::Meter;
use crate::schema::{IndexKind, IndexProjection, IndexSchema, KeyAttr};
use crate::{AttributeValue, Db, Error, Item, Model, Result};
use aws_sdk_dynamodb::types::ReturnConsumedCapacity;

/// One page of results, the items of it that could not be decoded, and the
/// cursor that resumes after it.
pub struct Page<T> {
    /// The items of this page, in key order.
    pub items: Vec<T>,
    /// An opaque, URL-safe cursor to pass to `.start_from(...)` for the rest;
    /// `None` when there is nothing more. A page may be empty yet carry a
    /// cursor (DynamoDB evaluated items that the filter dropped); use
    /// `.fill(n)` to get `n` items that pass the filter.
    pub cursor: Option<String>,
    /// One error per item read that does not fit `T` (a stored value of the
    /// wrong type, a failing `after_load` hook): [`Error::Item`] with the
    /// item's position among the items this call read (0-based, good and bad
    /// together, in the order read) and the cause, which names the attribute
    /// and the key's attribute names and types, never a value. The cursor
    /// still resumes after this page: later pages stay reachable, and each
    /// bad item is reported once. Always empty with `.strict()`, which fails
    /// on the first bad item instead.
    pub errors: Vec<Error>,
    /// Items DynamoDB returned for this page, after the filter (its
    /// `Count`; for `.fill(n)`, over the requests it sent).
    pub count: u64,
    /// Items DynamoDB read for this page, before the filter (its
    /// `ScannedCount`): what the read capacity pays for. For totals over
    /// a stream, attach a [`crate::ops::Meter`].
    pub scanned_count: u64,
}

impl<T> std::fmt::Debug for Page<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The items' and the cursor's key values may be personal data.
        f.debug_struct("Page")
            .field("items", &crate::redact::Count(self.items.len()))
            .field("cursor", &self.cursor.as_ref().map(|_| "<redacted>"))
            .field("errors", &self.errors)
            .field("count", &self.count)
            .field("scanned_count", &self.scanned_count)
            .finish()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Op {
    Query,
    Scan,
}

impl Op {
    fn name(self) -> &'static str {
        match self {
            Op::Query => "Query",
            Op::Scan => "Scan",
        }
    }
}

/// Everything a query or scan was given, before rendering.
pub(super) struct Spec<M: Model> {
    db: Db,
    /// The name reads report in errors and bind cursors to: the model's,
    /// or a collection's.
    pub(super) label: &'static str,
    /// The entity filter ANDed with the caller's: the model's entity
    /// ([`crate::entity`]), or a collection's members.
    pub(super) entity: Option<crate::expr::ConditionNode>,
    op: Op,
    pub(super) index: Option<IndexSchema>,
    pub(super) hash: Option<(&'static str, AttributeValue)>,
    /// The further partition attributes of a multi-attribute index key.
    pub(super) extra_hash: Vec<(&'static str, AttributeValue)>,
    pub(super) sort: Option<SortCond>,
    /// A multi-attribute sort key: the attributes before the one `sort`
    /// compares, each equal to its value.
    sort_eqs: Vec<(&'static str, AttributeValue)>,
    /// The sort attribute `sort` compares (`None`: the first).
    sort_on: Option<&'static str>,
    pub(super) filter: Option<Condition<M>>,
    skip_expired: bool,
    projection: Option<&'static [&'static str]>,
    pub(super) limit: Option<i32>,
    pub(super) consistent: bool,
    pub(super) descending: bool,
    pub(super) strict: bool,
    pub(super) start: Option<String>,
    segments: Option<i32>,
    segment: Option<(i32, i32)>,
    meter: Option<Meter>,
    pace: Option<Pace>,
    deferred: Option<Error>,
}

impl<M: Model> std::fmt::Debug for Spec<M> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Key values and filters may hold personal data: names and shapes only.
        f.debug_struct("Spec")
            .field("model", &self.label)
            .field("op", &self.op)
            .field("index", &self.index.map(|i| i.name))
            .field("limit", &self.limit)
            .field("consistent", &self.consistent)
            .field("descending", &self.descending)
            .field("strict", &self.strict)
            .field("segments", &self.segments)
            .field("segment", &self.segment)
            .finish_non_exhaustive()
    }
}

impl<M: Model> Spec<M> {
    pub(super) fn new(db: &Db, op: Op) -> Self {
        Spec {
            db: db.clone(),
            label: M::MODEL_NAME,
            entity: M::ENTITY.map(|entity| entity.condition()),
            op,
            index: None,
            hash: None,
            extra_hash: Vec::new(),
            sort: None,
            sort_eqs: Vec::new(),
            sort_on: None,
            filter: None,
            skip_expired: false,
            projection: None,
            limit: None,
            consistent: false,
            descending: false,
            strict: false,
            start: None,
            segments: None,
            segment: None,
            meter: None,
            pace: None,
            deferred: None,
        }
    }

    pub(super) fn defer(&mut self, error: Error) {
        if self.deferred.is_none() {
            self.deferred = Some(error);
        }
    }

    pub(super) fn invalid(message: impl Into<String>) -> Error {
        Error::InvalidRequest {
            model: M::MODEL_NAME,
            message: message.into(),
        }
    }

    /// The sort key attribute of the table or index queried (the first of
    /// a multi-attribute one).
    pub(super) fn sort_attr(&self) -> Option<&'static str> {
        match &self.index {
            Some(index) => index.range.map(|r| r.name),
            None => M::key_schema().range.map(|r| r.name),
        }
    }

    /// Every sort key attribute of the table or index queried, in order.
    fn sort_attributes(&self) -> Vec<KeyAttr> {
        match &self.index {
            Some(index) => index.range_attributes(),
            None => M::key_schema().range.into_iter().collect(),
        }
    }

    /// Converts the values of `key` for the attributes `attrs`: all of them
    /// (`whole`) or a left part; `None` (the error deferred) when a value
    /// fails or the count does not fit.
    pub(super) fn key_values(
        &mut self,
        attrs: &[KeyAttr],
        key: &impl KeyValues,
        whole: bool,
    ) -> Option<Vec<(&'static str, AttributeValue)>> {
        let values = key.key_values();
        let fits = if whole {
            values.len() == attrs.len()
        } else {
            (1..=attrs.len()).contains(&values.len())
        };
        if !fits {
            self.defer(Self::invalid(format!(
                "a key of {} values for {} key attributes",
                values.len(),
                attrs.len()
            )));
            return None;
        }
        let mut out = Vec::with_capacity(values.len());
        for (attr, value) in attrs.iter().zip(values) {
            match crate::generated::fields::checked_key_value::<M>(attr.name, value) {
                Ok(value) => out.push((attr.name, value)),
                Err(error) => {
                    self.defer(error);
                    return None;
                }
            }
        }
        Some(out)
    }

    /// A sort-key bound: the equalities on the sort attributes before the
    /// last one given, and that last attribute with its value.
    #[allow(clippy::type_complexity)]
    fn sort_bound(
        &mut self,
        bound: &impl KeyValues,
    ) -> Option<(
        Vec<(&'static str, AttributeValue)>,
        (&'static str, AttributeValue),
    )> {
        let attrs = self.sort_attributes();
        if attrs.is_empty() {
            self.defer(Self::invalid("a sort-key condition needs a sort key"));
            return None;
        }
        let mut values = self.key_values(&attrs, bound, false)?;
        let last = values.pop()?;
        Some((values, last))
    }

    /// Sets the query's one sort-key condition.
    fn set_sort(
        &mut self,
        eqs: Vec<(&'static str, AttributeValue)>,
        on: &'static str,
        cond: SortCond,
    ) {
        if self.sort.is_some() {
            self.defer(Self::invalid(
                "a query takes one sort-key condition: use `sort_between` for a range",
            ));
        }
        self.sort = Some(cond);
        self.sort_eqs = eqs;
        self.sort_on = Some(on);
    }

    /// The bytes cursors are bound to besides the table and partition: the
    /// further partition values and the sort-key condition.
    fn key_fingerprint(&self) -> Vec<u8> {
        let mut out = Vec::new();
        for (name, value) in self.extra_hash.iter().chain(&self.sort_eqs) {
            out.extend_from_slice(name.as_bytes());
            out.push(0);
            if crate::schema::key_value_bytes(&mut out, value).is_none() {
                out.push(0);
            }
        }
        if let Some(sort) = &self.sort {
            out.extend_from_slice(self.sort_on.unwrap_or_default().as_bytes());
            out.push(0);
            out.extend(sort.fingerprint());
        }
        out
    }

    /// Renders the request; `count` leaves the projection out.
    fn prepare(mut self, count: bool) -> Result<(Arc<Prepared>, Option<String>)> {
        if let Some(error) = self.deferred.take() {
            return Err(error);
        }
        let table = self.db.table_name::<M>();
        if self.consistent && matches!(self.index, Some(i) if i.kind == IndexKind::Global) {
            return Err(Self::invalid(format!(
                "global secondary index `{}` does not support consistent reads",
                self.index.map(|i| i.name).unwrap_or_default()
            )));
        }
        let mut builder = ExprBuilder::new();
        let key_condition = match (self.op, &self.hash) {
            (Op::Query, Some((name, value))) => {
                let mut out = format!("{} = {}", builder.name(name), builder.value(value.clone()));
                for (name, value) in self.extra_hash.iter().chain(&self.sort_eqs) {
                    out.push_str(&format!(
                        " AND {} = {}",
                        builder.name(name),
                        builder.value(value.clone())
                    ));
                }
                if let Some(sort) = &self.sort {
                    let attr = self
                        .sort_on
                        .or_else(|| self.sort_attr())
                        .ok_or_else(|| Self::invalid("a sort-key condition needs a sort key"))?;
                    let attr = builder.name(attr);
                    let rendered = match sort {
                        SortCond::Cmp(op, value) => {
                            format!("{attr} {} {}", op.symbol(), builder.value(value.clone()))
                        }
                        SortCond::Between(low, high) => format!(
                            "{attr} BETWEEN {} AND {}",
                            builder.value(low.clone()),
                            builder.value(high.clone())
                        ),
                        SortCond::BeginsWith(prefix) => {
                            format!("begins_with({attr}, {})", builder.value(prefix.clone()))
                        }
                    };
                    out.push_str(" AND ");
                    out.push_str(&rendered);
                }
                Some(out)
            }
            (Op::Query, None) => return Err(Self::invalid("a query needs a partition key value")),
            (Op::Scan, _) => None,
        };
        // A keys-only index does not hold the entity attribute: its items
        // cannot be told apart, so no entity filter (see `crate::entity`).
        if matches!(self.index, Some(i) if i.projection == IndexProjection::KeysOnly) {
            self.entity = None;
        }
        // The entity filter first, then the caller's: both must hold.
        let filter_node = match (self.entity.take(), self.filter.take()) {
            (Some(entity), Some(filter)) => {
                Some(ConditionNode::And(vec![entity, filter.into_node()]))
            }
            (Some(entity), None) => Some(entity),
            (None, filter) => filter.map(Condition::into_node),
        };
        let filter = filter_node
            .map(|node| Condition::<M>::from_node(node).render_taking(&mut builder))
            .transpose()?;
        let filter = match (self.skip_expired, M::ttl_attribute()) {
            (true, Some(ttl)) => {
                let now = crate::table::ttl::now_epoch_seconds();
                let unexpired = crate::table::ttl::unexpired_filter(&mut builder, ttl, now);
                Some(match filter {
                    Some(filter) => format!("({filter}) AND {unexpired}"),
                    None => unexpired,
                })
            }
            _ => filter,
        };
        let mut key_names: Vec<&'static str> = M::key_schema().names();
        if let Some(index) = &self.index {
            for name in index.attribute_names() {
                if !key_names.contains(&name) {
                    key_names.push(name);
                }
            }
        }
        let projection = match (count, self.projection) {
            (false, Some(attributes)) => {
                let mut names: Vec<&str> = attributes.to_vec();
                for key in &key_names {
                    if !names.contains(key) {
                        names.push(key);
                    }
                }
                Some(
                    names
                        .iter()
                        .map(|n| builder.name(n))
                        .collect::<Vec<_>>()
                        .join(", "),
                )
            }
            _ => None,
        };
        builder.check(
            self.label,
            &[
                ("key condition", key_condition.as_deref()),
                ("filter", filter.as_deref()),
                ("projection", projection.as_deref()),
            ],
        )?;
        let (names, values) = builder.into_parts();
        let key_fingerprint = self.key_fingerprint();
        let mut partition = self.extra_hash;
        partition.extend(self.hash);
        let prepared = Prepared {
            db: self.db,
            table,
            model: self.label,
            op: self.op,
            index: self.index.map(|i| i.name),
            key_condition,
            filter,
            projection,
            names,
            values,
            limit: self.limit,
            consistent: self.consistent,
            descending: self.descending,
            strict: self.strict,
            key_names,
            partition,
            key_fingerprint,
            count,
            meter: self.meter,
            // Concurrent segments share the budget.
            pace: self.pace.map(|pace| match self.segments {
                Some(total) => pace.per_segment(total),
                None => pace,
            }),
        };
        Ok((Arc::new(prepared), self.start))
    }
}

/// A rendered request, shared by the pages (and segments) that send it.
struct Prepared {
    db: Db,
    table: String,
    model: &'static str,
    op: Op,
    index: Option<&'static str>,
    key_condition: Option<String>,
    filter: Option<String>,
    projection: Option<String>,
    names: Option<std::collections::HashMap<String, String>>,
    values: Option<std::collections::HashMap<String, AttributeValue>>,
    limit: Option<i32>,
    consistent: bool,
    descending: bool,
    strict: bool,
    key_names: Vec<&'static str>,
    /// The partition key attributes and values of a query, which a cursor's
    /// key must hold.
    partition: Vec<(&'static str, AttributeValue)>,
    /// The sort-key condition's fingerprint, which cursors are bound to.
    key_fingerprint: Vec<u8>,
    count: bool,
    meter: Option<Meter>,
    pace: Option<Pace>,
}

/// One response, undecoded.
struct RawPage {
    items: Vec<Item>,
    last_key: Option<Item>,
    count: i64,
    scanned_count: i64,
}

impl Prepared {
    fn binding(&self, segment: Option<(i32, i32)>) -> Binding<'_> {
        Binding {
            model: self.model,
            op: self.op.name(),
            table: &self.table,
            index: self.index,
            segment,
            descending: self.descending,
            key_condition: &self.key_fingerprint,
        }
    }

    fn encode_cursor(&self, key: &Item, segment: Option<(i32, i32)>) -> Result<String> {
        cursor::encode(self.db.cursor_secret(), &self.binding(segment), key)
    }

    fn decode_cursor(&self, cursor: &str, segment: Option<(i32, i32)>) -> Result<Item> {
        let binding = self.binding(segment);
        let key = cursor::decode(self.db.cursor_secret(), &binding, cursor, &self.key_names)?;
        for (name, value) in &self.partition {
            if key.get(*name) != Some(value) {
                return Err(Error::InvalidCursor {
                    model: self.model,
                    reason: "the cursor was issued for another partition key value",
                });
            }
        }
        Ok(key)
    }

    /// Decodes one item read at `position`: `Some` when it fits `P`; `None`
    /// when it does not and the error was added to `errors`; the bare error
    /// in strict mode.
    fn decode_item<D: Decode>(
        &self,
        raw: Item,
        position: usize,
        errors: &mut Vec<Error>,
    ) -> Result<Option<D::Output>> {
        match D::decode(raw) {
            Ok(item) => Ok(Some(item)),
            Err(error) if self.strict => Err(error),
            Err(error) => {
                errors.push(Error::Item {
                    operation: self.op.name(),
                    index: position,
                    source: Box::new(error),
                });
                Ok(None)
            }
        }
    }

    /// The table and index key attributes of a returned item: where a cursor
    /// resumes right after that item.
    fn key_of(&self, item: &Item) -> Result<Item> {
        let mut key = Item::with_capacity(self.key_names.len());
        for name in &self.key_names {
            let value = item.get(*name).ok_or_else(|| Error::InvalidRequest {
                model: self.model,
                message: format!("a returned item lacks key attribute `{name}`"),
            })?;
            key.insert((*name).to_owned(), value.clone());
        }
        Ok(key)
    }

    async fn fetch(&self, start: Option<Item>, segment: Option<(i32, i32)>) -> Result<RawPage> {
        let span = tracing::debug_span!(
            "dynamodel.request",
            operation = self.op.name(),
            model = self.model,
            table = %self.table,
            index = self.index.unwrap_or("")
        );
        let select = self.count.then_some(Select::Count);
        let client = self.db.client();
        // Pacing needs the capacity of each page, meter or not.
        let return_capacity = crate::ops::meter::return_capacity(self.meter.as_ref())
            .or_else(|| self.pace.map(|_| ReturnConsumedCapacity::Total));
        let (items, last_key, count, scanned, consumed) = match self.op {
            Op::Query => {
                let output = client
                    .query()
                    .table_name(&self.table)
                    .set_index_name(self.index.map(str::to_owned))
                    .set_key_condition_expression(self.key_condition.clone())
                    .set_filter_expression(self.filter.clone())
                    .set_projection_expression(self.projection.clone())
                    .set_expression_attribute_names(self.names.clone())
                    .set_expression_attribute_values(self.values.clone())
                    .set_limit(self.limit)
                    .consistent_read(self.consistent)
                    .scan_index_forward(!self.descending)
                    .set_exclusive_start_key(start)
                    .set_select(select)
                    .set_return_consumed_capacity(return_capacity.clone())
                    .send()
                    .traced(span)
                    .await
                    .map_err(|err| {
                        Error::sdk(self.model, "Query", &self.table, err.into_service_error())
                    })?;
                (
                    output.items,
                    output.last_evaluated_key,
                    output.count,
                    output.scanned_count,
                    output.consumed_capacity,
                )
            }
            Op::Scan => {
                let output = client
                    .scan()
                    .table_name(&self.table)
                    .set_index_name(self.index.map(str::to_owned))
                    .set_filter_expression(self.filter.clone())
                    .set_projection_expression(self.projection.clone())
                    .set_expression_attribute_names(self.names.clone())
                    .set_expression_attribute_values(self.values.clone())
                    .set_limit(self.limit)
                    .consistent_read(self.consistent)
                    .set_exclusive_start_key(start)
                    .set_segment(segment.map(|(s, _)| s))
                    .set_total_segments(segment.map(|(_, n)| n))
                    .set_select(select)
                    .set_return_consumed_capacity(return_capacity.clone())
                    .send()
                    .traced(span)
                    .await
                    .map_err(|err| {
                        Error::sdk(self.model, "Scan", &self.table, err.into_service_error())
                    })?;
                (
                    output.items,
                    output.last_evaluated_key,
                    output.count,
                    output.scanned_count,
                    output.consumed_capacity,
                )
            }
        };
        if let Some(meter) = &self.meter {
            let to_u64 = |n: i32| u64::try_from(n).unwrap_or(0);
            meter.record_page(consumed.as_ref(), to_u64(count), to_u64(scanned));
        }
        // DynamoDB sends an empty map on some paths; both mean "no more".
        let last_key = last_key.filter(|k| !k.is_empty());
        if let (Some(pace), Some(_)) = (self.pace, &last_key) {
            let units = consumed.as_ref().and_then(|c| c.capacity_units);
            let delay = pace.delay(units.unwrap_or(0.0));
            if let Some(meter) = &self.meter {
                meter.record_pause(delay);
            }
            if !delay.is_zero() {
                tokio::time::sleep(delay).await;
            }
        }
        Ok(RawPage {
            items: items.unwrap_or_default(),
            last_key,
            count: i64::from(count),
            scanned_count: i64::from(scanned),
        })
    }
}

/// A count DynamoDB reported (never negative).
fn to_count(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

/// The lazily fetched items of one segment (or of the whole read).
fn item_stream<D: Decode>(
    prepared: Arc<Prepared>,
    start: Option<Item>,
    segment: Option<(i32, i32)>,
) -> BoxStream<'static, Result<D::Output>> {
    enum Next {
        Fetch(Option<Item>),
        Done,
    }
    stream::try_unfold(Next::Fetch(start), move |next| {
        let prepared = prepared.clone();
        async move {
            let start = match next {
                Next::Fetch(start) => start,
                Next::Done => return Ok(None),
            };
            let page = prepared.fetch(start, segment).await?;
            let items: Vec<Result<D::Output>> = page.items.into_iter().map(D::decode).collect();
            let next = match page.last_key {
                Some(key) => Next::Fetch(Some(key)),
                None => Next::Done,
            };
            Ok::<_, Error>(Some((stream::iter(items), next)))
        }
    })
    .try_flatten()
    .boxed()
}

/// The read operations shared by [`Query`] and [`Scan`], on their `Spec`.
impl<M: Model> Spec<M> {
    pub(super) fn check_single(&self, what: &str) -> Result<()> {
        if self.segments.is_some() {
            return Err(Self::invalid(format!(
                "`{what}` reads one segment at a time: use `.segment(i, total)` instead of `.segments(n)`"
            )));
        }
        Ok(())
    }

    pub(super) async fn page<D: Decode>(self) -> Result<Page<D::Output>> {
        self.check_single("page")?;
        let segment = self.segment;
        let (prepared, start) = self.prepare(false)?;
        let start = start
            .map(|c| prepared.decode_cursor(&c, segment))
            .transpose()?;
        let page = prepared.fetch(start, segment).await?;
        let mut items = Vec::with_capacity(page.items.len());
        let mut errors = Vec::new();
        for (position, raw) in page.items.into_iter().enumerate() {
            items.extend(prepared.decode_item::<D>(raw, position, &mut errors)?);
        }
        let cursor = page
            .last_key
            .map(|key| prepared.encode_cursor(&key, segment))
            .transpose()?;
        Ok(Page {
            items,
            cursor,
            errors,
            count: to_count(page.count),
            scanned_count: to_count(page.scanned_count),
        })
    }

    /// Every item of every page, at most `max` (what `.all()` and
    /// `.all_max(n)` answer): the first item that does not decode, or a
    /// failed request, ends the read with that error. Pages are fetched one
    /// after the other and decoded straight into the result, which grows
    /// by a page at a time (not through the stream's per-item machinery);
    /// no page is fetched once `max` items are read. A parallel scan
    /// (`.segments(n)`) collects its segments' streams.
    pub(super) async fn collect<D: Decode>(self, max: usize) -> Result<Vec<D::Output>> {
        if self.segments.is_some() {
            return self.stream::<D>().take(max).try_collect().await;
        }
        let segment = self.segment;
        let (prepared, start) = self.prepare(false)?;
        let mut start = start
            .map(|c| prepared.decode_cursor(&c, segment))
            .transpose()?;
        let mut items = Vec::new();
        while items.len() < max {
            let page = prepared.fetch(start, segment).await?;
            let wanted = max - items.len();
            items.reserve(page.items.len().min(wanted));
            for raw in page.items.into_iter().take(wanted) {
                items.push(D::decode(raw)?);
            }
            match page.last_key {
                Some(key) => start = Some(key),
                None => break,
            }
        }
        Ok(items)
    }

    pub(super) async fn fill<D: Decode>(self, n: usize) -> Result<Page<D::Output>> {
        self.check_single("fill")?;
        let segment = self.segment;
        let (prepared, start_cursor) = self.prepare(false)?;
        if n == 0 {
            return Ok(Page {
                items: Vec::new(),
                cursor: start_cursor,
                errors: Vec::new(),
                count: 0,
                scanned_count: 0,
            });
        }
        let mut start = start_cursor
            .map(|c| prepared.decode_cursor(&c, segment))
            .transpose()?;
        let mut items = Vec::with_capacity(n.min(1024));
        let mut errors = Vec::new();
        // Items read by this call, good and bad: the position errors report.
        let mut read = 0;
        let (mut count, mut scanned_count) = (0, 0);
        loop {
            let page = prepared.fetch(start, segment).await?;
            count += to_count(page.count);
            scanned_count += to_count(page.scanned_count);
            let len = page.items.len();
            for (i, raw) in page.items.into_iter().enumerate() {
                let key = prepared.key_of(&raw)?;
                read += 1;
                let Some(item) = prepared.decode_item::<D>(raw, read - 1, &mut errors)? else {
                    continue;
                };
                items.push(item);
                if items.len() == n {
                    let resume = if i + 1 == len {
                        page.last_key
                    } else {
                        Some(key)
                    };
                    let cursor = resume
                        .map(|key| prepared.encode_cursor(&key, segment))
                        .transpose()?;
                    return Ok(Page {
                        items,
                        cursor,
                        errors,
                        count,
                        scanned_count,
                    });
                }
            }
            match page.last_key {
                Some(key) => start = Some(key),
                None => {
                    return Ok(Page {
                        items,
                        cursor: None,
                        errors,
                        count,
                        scanned_count,
                    })
                }
            }
        }
    }

    pub(super) fn stream<D: Decode>(self) -> BoxStream<'static, Result<D::Output>> {
        let strict = self.strict;
        let items = self.items::<D>();
        if !strict {
            return items;
        }
        // Strict: the first error (a bad item, or a failed request) ends the stream.
        items
            .scan(false, |failed, item| {
                let next = (!*failed).then(|| {
                    *failed = item.is_err();
                    item
                });
                futures::future::ready(next)
            })
            .boxed()
    }

    /// Every item, decoded; an item that does not decode is an `Err` and the
    /// stream goes on (a failed request ends it).
    fn items<D: Decode>(self) -> BoxStream<'static, Result<D::Output>> {
        let segments = self.segments;
        let segment = self.segment;
        let prepared = match self.prepare(false) {
            Ok(prepared) => prepared,
            Err(error) => return stream::once(async move { Err(error) }).boxed(),
        };
        let (prepared, start) = prepared;
        match segments {
            Some(total) => {
                if start.is_some() {
                    let error = Self::invalid(
                        "a parallel scan (`.segments(n)`) cannot start from a cursor: use `.segment(i, total)`",
                    );
                    return stream::once(async move { Err(error) }).boxed();
                }
                stream::select_all(
                    (0..total).map(|s| item_stream::<D>(prepared.clone(), None, Some((s, total)))),
                )
                .boxed()
            }
            None => match start
                .map(|c| prepared.decode_cursor(&c, segment))
                .transpose()
            {
                Ok(start) => item_stream::<D>(prepared, start, segment),
                Err(error) => stream::once(async move { Err(error) }).boxed(),
            },
        }
    }

    pub(super) async fn count(self) -> Result<u64> {
        let segments = self.segments;
        let segment = self.segment;
        let (prepared, start) = self.prepare(true)?;
        let start = start
            .map(|c| prepared.decode_cursor(&c, segment))
            .transpose()?;
        let count_segment = |start: Option<Item>, segment: Option<(i32, i32)>| {
            let prepared = prepared.clone();
            async move {
                let mut total: u64 = 0;
                let mut start = start;
                loop {
                    let page = prepared.fetch(start, segment).await?;
                    total += u64::try_from(page.count).unwrap_or(0);
                    match page.last_key {
                        Some(key) => start = Some(key),
                        None => return Ok::<u64, Error>(total),
                    }
                }
            }
        };
        match segments {
            Some(total) => {
                let counts = futures::future::try_join_all(
                    (0..total).map(|s| count_segment(None, Some((s, total)))),
                )
                .await?;
                Ok(counts.into_iter().sum())
            }
            None => count_segment(start, segment).await,
        }
    }
}

/// Methods shared by [`Query`] and [`Scan`].
macro_rules! read_methods {
    () => {
        spec_setters!(M);

        /// Keeps only the items for which `condition` holds (a `FilterExpression`).
        /// Several calls combine with AND. DynamoDB applies filters after
        /// reading: `limit` and the 1 MB page size count items before the filter.
        pub fn filter(mut self, condition: Condition<M>) -> Self {
            self.spec.filter = Some(match self.spec.filter.take() {
                Some(previous) => previous.and(condition),
                None => condition,
            });
            self
        }

        /// Leaves out items whose TTL attribute (`#[dynamodel(ttl)]`) is at
        /// or before now: DynamoDB deletes expired items in the background,
        /// typically within a few days, and returns them until then. Added
        /// to the filter, so `limit` counts them like any filtered item.
        pub fn skip_expired(mut self) -> Self
        where
            M: crate::table::HasTtl,
        {
            self.spec.skip_expired = true;
            self
        }

        /// Adds up every request's item counts and (when the meter asks for
        /// it) consumed capacity in `meter`, over all pages and segments
        /// (see [`crate::ops::meter`]).
        pub fn meter(mut self, meter: &Meter) -> Self {
            self.spec.meter = Some(meter.clone());
            self
        }

        /// Paces the read to `units` capacity units per second: after each
        /// page that has a next one, waits as long as that page's consumed
        /// capacity takes at this rate (asking DynamoDB for it). A parallel
        /// scan's segments share the budget. A budget that is not a
        /// positive number fails the read before sending. The waits asked
        /// for add up in [`Meter::paused`] (see [`crate::query`], "Counts,
        /// capacity and pacing").
        pub fn max_capacity_per_second(mut self, units: f64) -> Self {
            match Pace::new(units) {
                Some(pace) => self.spec.pace = Some(pace),
                None => self.spec.defer(Spec::<M>::invalid(
                    "`max_capacity_per_second` takes a positive, finite number of capacity units",
                )),
            }
            self
        }

        /// Sends one request and returns its page: the items, an error per
        /// item that does not decode (see [`Page::errors`] and `.strict()`),
        /// and a cursor for the rest.
        pub async fn page(self) -> Result<Page<P>> {
            self.spec.page::<AsModel<P>>().await
        }

        /// Fetches pages until `n` items pass the filter and decode (or the
        /// read ends) and returns exactly those, with an error per item read
        /// that does not decode (see [`Page::errors`]); the cursor resumes
        /// right after the last item returned, so nothing is skipped or
        /// repeated, and no bad item is reported twice.
        pub async fn fill(self, n: usize) -> Result<Page<P>> {
            self.spec.fill::<AsModel<P>>(n).await
        }

        /// All the items as a stream that fetches pages lazily, as they are
        /// consumed. An item that does not decode is an `Err` in the stream,
        /// which goes on with the next (`.strict()`: ends there).
        pub fn stream(self) -> BoxStream<'static, Result<P>> {
            self.spec.stream::<AsModel<P>>()
        }

        /// Every item (all pages); fails on the first item that does not
        /// decode (use `.stream()`, `.page()` or `.fill(n)` to skip bad items).
        pub async fn all(self) -> Result<Vec<P>> {
            self.spec.collect::<AsModel<P>>(usize::MAX).await
        }

        /// At most `max` items: fetching stops once `max` are read.
        pub async fn all_max(self, max: usize) -> Result<Vec<P>> {
            self.spec.collect::<AsModel<P>>(max).await
        }

        /// The number of matching items (after the filter), without reading
        /// them (`Select = COUNT`, all pages).
        pub async fn count(self) -> Result<u64> {
            self.spec.count().await
        }
    };
}

/// A query: one partition of the table or of a secondary index. Start it with
/// [`Db::query`], [`Db::query_index`] or [`Db::query_by`].
///
/// `R` is the sort key's type (or [`NoSortKey`]), so sort-key conditions take
/// values of that type only; `P` is what items are decoded into (the model,
/// or a projection chosen with [`Query::project`]).
#[must_use = "a query does nothing until it is sent with `.page()`, `.fill(n)`, `.all()`, `.stream()` or `.count()`"]
#[derive(Debug)]
pub struct Query<M: Model, R = NoSortKey, P = M> {
    spec: Spec<M>,
    types: PhantomData<fn() -> (R, P)>,
}

/// A scan: every item of the table or of a secondary index. Start it with [`Db::scan`].
#[must_use = "a scan does nothing until it is sent with `.page()`, `.fill(n)`, `.all()`, `.stream()` or `.count()`"]
#[derive(Debug)]
pub struct Scan<M: Model, P = M> {
    spec: Spec<M>,
    types: PhantomData<fn() -> P>,
}

pub(super) fn encode_value<M: Model, T: crate::Attribute>(
    spec: &mut Spec<M>,
    name: &'static str,
    value: &T,
) -> AttributeValue {
    match crate::generated::fields::encode_key::<M, T>(name, value) {
        Ok(value) => value,
        Err(error) => {
            spec.defer(error);
            AttributeValue::Null(true)
        }
    }
}

/// The value of a one-attribute key given as [`KeyValues`] (a sort key of
/// the table), for attribute `name`; errors are deferred to sending.
pub(super) fn encode_key_value<M: Model>(
    spec: &mut Spec<M>,
    name: &'static str,
    value: &impl KeyValues,
) -> AttributeValue {
    let mut values = value.key_values();
    let checked = match (values.pop(), values.is_empty()) {
        (Some(value), true) => crate::generated::fields::checked_key_value::<M>(name, value),
        _ => Err(Spec::<M>::invalid(format!(
            "the sort key `{name}` takes one value"
        ))),
    };
    checked.unwrap_or_else(|error| {
        spec.defer(error);
        AttributeValue::Null(true)
    })
}

impl Db {
    /// Queries the partition `hash` of `M`'s table.
    pub fn query<M: Queryable>(&self, hash: impl Into<M::Hash>) -> Query<M, M::Range, M> {
        let mut spec = Spec::new(self, Op::Query);
        let name = M::key_schema().hash.name;
        let value = encode_value(&mut spec, name, &hash.into());
        spec.hash = Some((name, value));
        Query {
            spec,
            types: PhantomData,
        }
    }

    /// Queries the partition `hash` of a secondary index, named by its
    /// generated handle: `db.query_index(User::indexes().by_email, email)`.
    pub fn query_index<I: Index>(
        &self,
        index: I,
        hash: impl Into<I::Hash>,
    ) -> Query<I::Model, I::Range, I::Model> {
        let schema = index.schema();
        let mut spec = Spec::new(self, Op::Query);
        let attrs = schema.hash_attributes();
        let values = spec.key_values(&attrs, &hash.into(), true);
        let mut values = values.unwrap_or_default().into_iter();
        spec.hash = Some(
            values
                .next()
                .unwrap_or((schema.hash.name, AttributeValue::Null(true))),
        );
        spec.extra_hash = values.collect();
        spec.index = Some(schema);
        Query {
            spec,
            types: PhantomData,
        }
    }

    /// Queries with the table or index chosen from `condition`: the one whose
    /// partition key the condition compares with `=` (and, among several,
    /// whose sort key it also constrains). Key conditions go to the
    /// `KeyConditionExpression`, the rest to the filter. When no table or
    /// index fits, or several fit equally, this fails with
    /// [`Error::IndexChoice`] listing the candidates; it never scans.
    /// Indexes with a multi-attribute key are not among the candidates:
    /// query them with [`Db::query_index`].
    pub fn query_by<M: Queryable>(&self, condition: Condition<M>) -> Query<M, NoSortKey, M> {
        let mut spec = Spec::new(self, Op::Query);
        match super::auto::choose::<M>(condition) {
            Ok(choice) => {
                spec.index = choice.index;
                spec.hash = Some(choice.hash);
                spec.sort = choice.sort;
                spec.filter = choice.filter;
            }
            Err(error) => spec.defer(error),
        }
        Query {
            spec,
            types: PhantomData,
        }
    }

    /// Scans `M`'s table.
    pub fn scan<M: Queryable>(&self) -> Scan<M, M> {
        Scan {
            spec: Spec::new(self, Op::Scan),
            types: PhantomData,
        }
    }
}

impl<M: Model, R, P: Model> Query<M, R, P> {
    read_methods!();

    /// Returns items in descending sort-key order (ascending by default).
    pub fn descending(mut self) -> Self {
        self.spec.descending = true;
        self
    }

    /// Reads only the attributes of `Q` (plus the key attributes) and decodes
    /// items into `Q`: a struct deriving `Model` with the fields you need and
    /// `#[dynamodel(projection_of = M)]` (see [`super::projection`]).
    pub fn project<Q: super::ProjectionOf<M>>(mut self) -> Query<M, R, Q> {
        self.spec.projection = Some(Q::ATTRIBUTES);
        Query {
            spec: self.spec,
            types: PhantomData,
        }
    }
}

impl<M: Model, R: SortKey, P: Model> Query<M, R, P> {
    fn sort_cmp(mut self, op: Comparator, value: R) -> Self {
        if let Some((eqs, (on, value))) = self.spec.sort_bound(&value) {
            self.spec.set_sort(eqs, on, SortCond::Cmp(op, value));
        }
        self
    }

    /// Sort key `= value`.
    pub fn sort_eq(self, value: impl Into<R>) -> Self {
        self.sort_cmp(Comparator::Eq, value.into())
    }

    /// Sort key `< value`.
    pub fn sort_lt(self, value: impl Into<R>) -> Self {
        self.sort_cmp(Comparator::Lt, value.into())
    }

    /// Sort key `<= value`.
    pub fn sort_le(self, value: impl Into<R>) -> Self {
        self.sort_cmp(Comparator::Le, value.into())
    }

    /// Sort key `> value`.
    pub fn sort_gt(self, value: impl Into<R>) -> Self {
        self.sort_cmp(Comparator::Gt, value.into())
    }

    /// Sort key `>= value`.
    pub fn sort_ge(self, value: impl Into<R>) -> Self {
        self.sort_cmp(Comparator::Ge, value.into())
    }

    /// Sort key `BETWEEN low AND high` (both ends included). On a
    /// multi-attribute sort key both bounds give the same attributes, equal
    /// but for the last.
    pub fn sort_between(mut self, low: impl Into<R>, high: impl Into<R>) -> Self {
        let (low, high) = (low.into(), high.into());
        let bounds = self.spec.sort_bound(&low).zip(self.spec.sort_bound(&high));
        if let Some(((eqs, (on, low)), (high_eqs, (high_on, high)))) = bounds {
            if on != high_on || eqs != high_eqs {
                self.spec.defer(Spec::<M>::invalid(
                    "`sort_between` takes two bounds on the same sort attributes, equal but for the last",
                ));
            }
            self.spec.set_sort(eqs, on, SortCond::Between(low, high));
        }
        self
    }
}

impl<M: Model, R: PrefixSortKey, P: Model> Query<M, R, P> {
    /// Sort key `begins_with(prefix)`.
    pub fn sort_begins_with(mut self, prefix: impl Into<R>) -> Self {
        if let Some((eqs, (on, prefix))) = self.spec.sort_bound(&prefix.into()) {
            self.spec.set_sort(eqs, on, SortCond::BeginsWith(prefix));
        }
        self
    }
}

impl<M: Model, P: Model> Scan<M, P> {
    read_methods!();

    /// Scans a secondary index of the model instead of the table.
    pub fn index<I: Index<Model = M>>(mut self, index: I) -> Self {
        self.spec.index = Some(index.schema());
        self
    }

    /// Reads only the attributes of `Q` (plus the key attributes) and decodes
    /// items into `Q`, a projection of `M` (see [`super::projection`]).
    pub fn project<Q: super::ProjectionOf<M>>(mut self) -> Scan<M, Q> {
        self.spec.projection = Some(Q::ATTRIBUTES);
        Scan {
            spec: self.spec,
            types: PhantomData,
        }
    }

    /// Scans `total` segments concurrently, merged into one stream
    /// (`.stream()`, `.all()`, `.count()`); every item is seen exactly once.
    /// For pages and cursors, read one segment with [`Scan::segment`].
    pub fn segments(mut self, total: u32) -> Self {
        match i32::try_from(total) {
            Ok(total) if (1..=1_000_000).contains(&total) => self.spec.segments = Some(total),
            _ => self.spec.defer(Spec::<M>::invalid(
                "a parallel scan takes 1 to 1000000 segments",
            )),
        }
        self
    }

    /// Scans segment `segment` of `total` only (0-based), for example one per worker.
    pub fn segment(mut self, segment: u32, total: u32) -> Self {
        match (i32::try_from(segment), i32::try_from(total)) {
            (Ok(s), Ok(t)) if (1..=1_000_000).contains(&t) && s < t => {
                self.spec.segment = Some((s, t))
            }
            _ => self.spec.defer(Spec::<M>::invalid(
                "a scan segment must be below the total of 1 to 1000000 segments",
            )),
        }
        self
    }
}
