//! `ensure`: the live table compared with its [`TableDef`], the differences
//! returned as data ([`Drift`]), and the additive ones applied on request.
//!
//! Guarantees: [`EnsureTable::send`] only describes (DescribeTable,
//! DescribeTimeToLive) and changes nothing. [`EnsureTable::apply`] is
//! additive only: it creates a missing table, creates missing GSIs one at a
//! time (waiting for each to be ACTIVE), and turns TTL or the stream on. It
//! never deletes a table, an index or data: a difference only a deletion or
//! a rebuild could resolve (a changed key or projection, a missing LSI, TTL
//! or the stream on another attribute or view) makes it refuse everything
//! with [`Error::DestructiveChange`] listing them, before any change.
//! Differences it neither applies nor refuses (an index the definition does
//! not know, a stream or TTL the definition does not ask for, the billing
//! mode) are reported and left as they are.

use std::fmt;
use std::time::Duration;

use aws_sdk_dynamodb::types::{
    BillingMode, GlobalSecondaryIndexUpdate, KeySchemaElement, KeyType, Projection, ProjectionType,
    ScalarAttributeType, StreamViewType, TableDescription, TimeToLiveStatus,
};

use super::definition::{attribute_definition, global_index};
use super::settings::Billing;
use super::shared::{
    describe_attributes, describe_key, type_name, IndexDef, ProjectionDef, TableDef,
};
use super::switch_on::{enable_stream, enable_ttl, invalid, send};
use super::wait::{describe, wait_until_active, DEFAULT_WAIT};
use crate::schema::{IndexKind, ScalarType};
use crate::{Db, Error, Result};

/// One difference between a live table and its [`TableDef`]. Names
/// attributes, indexes and settings only, never stored values.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Drift {
    /// The table does not exist. Additive: `apply` creates it.
    MissingTable,
    /// An index of the definition is not on the table. A GSI is additive
    /// (`apply` creates it); an LSI can only be declared when the table is
    /// created, so a missing LSI is destructive (the table would be rebuilt).
    MissingIndex {
        /// The index name.
        index: String,
        /// Global or local.
        kind: IndexKind,
    },
    /// The table has an index the definition does not declare. Reported
    /// only: `apply` never deletes an index.
    ExtraIndex {
        /// The index name.
        index: String,
    },
    /// The key attributes (names or types) of the table (`index: None`) or
    /// of an index differ. Destructive: a key cannot be changed in place.
    KeySchema {
        /// The index, or `None` for the table's primary key.
        index: Option<String>,
        /// The definition's key, as `name (type), ...`.
        expected: String,
        /// The live key, as `name (type), ...`.
        actual: String,
    },
    /// An index copies other attributes than the definition says.
    /// Destructive: a projection cannot be changed in place.
    Projection {
        /// The index name.
        index: String,
        /// The definition's projection (`ALL`, `KEYS_ONLY`, `INCLUDE a, b`).
        expected: String,
        /// The live projection.
        actual: String,
    },
    /// TTL is off or on another attribute. Additive when TTL is off and the
    /// definition names an attribute (`apply` turns it on); destructive when
    /// it is on another attribute (it would have to be turned off first);
    /// reported only when the definition has no TTL.
    Ttl {
        /// The definition's TTL attribute.
        expected: Option<String>,
        /// The attribute TTL is on for, if it is on.
        actual: Option<String>,
    },
    /// The stream is off or has another view type. Additive when off and
    /// the definition asks for one (`apply` turns it on); destructive when
    /// on with another view type (consumers would lose records while it is
    /// switched); reported only when the definition asks for none.
    Stream {
        /// The definition's view type.
        expected: Option<StreamViewType>,
        /// The live view type, if the stream is on.
        actual: Option<StreamViewType>,
    },
    /// The billing mode or provisioned capacity differs. Reported only:
    /// `apply` does not change billing.
    Billing {
        /// The definition's billing.
        expected: String,
        /// The live billing.
        actual: String,
    },
}

/// What `apply` does with a [`Drift`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Remedy {
    /// Applied: something is created or turned on.
    Additive,
    /// Refused: only a deletion or a rebuild could resolve it.
    Destructive,
    /// Reported and left as it is.
    ReportOnly,
}

impl Drift {
    /// What [`EnsureTable::apply`] does with this difference.
    pub fn remedy(&self) -> Remedy {
        match self {
            Drift::MissingTable => Remedy::Additive,
            Drift::MissingIndex {
                kind: IndexKind::Global,
                ..
            } => Remedy::Additive,
            Drift::MissingIndex {
                kind: IndexKind::Local,
                ..
            }
            | Drift::KeySchema { .. }
            | Drift::Projection { .. } => Remedy::Destructive,
            Drift::Ttl {
                expected: Some(_),
                actual: None,
            }
            | Drift::Stream {
                expected: Some(_),
                actual: None,
            } => Remedy::Additive,
            Drift::Ttl {
                expected: Some(_),
                actual: Some(_),
            }
            | Drift::Stream {
                expected: Some(_),
                actual: Some(_),
            } => Remedy::Destructive,
            Drift::Ttl { expected: None, .. }
            | Drift::Stream { expected: None, .. }
            | Drift::ExtraIndex { .. }
            | Drift::Billing { .. } => Remedy::ReportOnly,
        }
    }

    /// Whether resolving this difference would need a deletion or rebuild.
    pub fn is_destructive(&self) -> bool {
        self.remedy() == Remedy::Destructive
    }

    /// The differences, `; `-separated (for error messages).
    pub(crate) fn list(drifts: &[Drift]) -> String {
        drifts
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("; ")
    }
}

impl fmt::Display for Drift {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Drift::MissingTable => write!(f, "the table does not exist"),
            Drift::MissingIndex { index, kind } => {
                let kind = match kind {
                    IndexKind::Global => "global",
                    IndexKind::Local => "local",
                };
                write!(f, "{kind} index `{index}` is missing")
            }
            Drift::ExtraIndex { index } => {
                write!(f, "index `{index}` is not in the definition")
            }
            Drift::KeySchema {
                index,
                expected,
                actual,
            } => match index {
                Some(index) => write!(
                    f,
                    "index `{index}` has key {actual}, the definition says {expected}"
                ),
                None => write!(
                    f,
                    "the table has key {actual}, the definition says {expected}"
                ),
            },
            Drift::Projection {
                index,
                expected,
                actual,
            } => write!(
                f,
                "index `{index}` projects {actual}, the definition says {expected}"
            ),
            Drift::Ttl { expected, actual } => match (expected, actual) {
                (Some(expected), None) => {
                    write!(f, "TTL is off, the definition enables it on `{expected}`")
                }
                (Some(expected), Some(actual)) => {
                    write!(f, "TTL is on `{actual}`, the definition says `{expected}`")
                }
                (None, Some(actual)) => write!(
                    f,
                    "TTL is on `{actual}`, the definition has no TTL attribute"
                ),
                (None, None) => write!(f, "TTL differs"),
            },
            Drift::Stream { expected, actual } => match (expected, actual) {
                (Some(expected), None) => write!(
                    f,
                    "the stream is off, the definition asks for {}",
                    expected.as_str()
                ),
                (Some(expected), Some(actual)) => write!(
                    f,
                    "the stream view is {}, the definition says {}",
                    actual.as_str(),
                    expected.as_str()
                ),
                (None, Some(actual)) => write!(
                    f,
                    "the stream is on ({}), the definition asks for none",
                    actual.as_str()
                ),
                (None, None) => write!(f, "the stream differs"),
            },
            Drift::Billing { expected, actual } => {
                write!(f, "billing is {actual}, the definition says {expected}")
            }
        }
    }
}

/// What [`EnsureTable`] found (and, with `apply`, did).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnsureReport {
    drifts: Vec<Drift>,
    applied: Vec<Drift>,
}

impl EnsureReport {
    /// Every difference found, before anything was applied.
    pub fn drifts(&self) -> &[Drift] {
        &self.drifts
    }
    /// The differences `apply` resolved (empty without `apply`).
    pub fn applied(&self) -> &[Drift] {
        &self.applied
    }
    /// Whether the live table matched the definition.
    pub fn is_in_sync(&self) -> bool {
        self.drifts.is_empty()
    }
}

/// Compares the live table with a [`TableDef`]. Start it with
/// [`Db::ensure_table`]; by default it only reports.
#[must_use = "an ensure_table does nothing until it is sent with `.send().await` or `.await`"]
#[derive(Debug)]
pub struct EnsureTable {
    db: Db,
    def: TableDef,
    apply: bool,
    wait: Duration,
}

impl Db {
    /// Describes the table of `def` and returns how it differs from the
    /// definition, changing nothing; `.apply()` makes it resolve the
    /// additive differences (see [`EnsureTable::apply`]).
    pub fn ensure_table(&self, def: &TableDef) -> EnsureTable {
        EnsureTable {
            db: self.clone(),
            def: def.clone(),
            apply: false,
            wait: DEFAULT_WAIT,
        }
    }
}

impl EnsureTable {
    /// Resolves the additive differences: creates the table if it is
    /// missing, creates missing GSIs one at a time (waiting until each is
    /// ACTIVE), turns TTL and the stream on. Refuses, before any change,
    /// with [`Error::DestructiveChange`] listing them, when any difference
    /// would need a deletion. Never deletes anything.
    pub fn apply(mut self) -> Self {
        self.apply = true;
        self
    }

    /// Waits at most `wait` for the table and each new GSI to become ACTIVE
    /// (default [`DEFAULT_WAIT`], 120 s, per wait).
    pub fn wait_at_most(mut self, wait: Duration) -> Self {
        self.wait = wait;
        self
    }

    /// Describes the table, compares, and (with `apply`) resolves.
    pub async fn send(self) -> Result<EnsureReport> {
        let table = self.db.table_name_for(self.def.name());
        let model = self.def.label();
        let mut index_billing = self.def.billing();
        let drifts = match describe(&self.db, model, &table).await? {
            None => vec![Drift::MissingTable],
            Some(live) => {
                index_billing = billing_for_new_index(self.def.billing(), &live);
                let ttl = live_ttl(&self.db, model, &table).await?;
                compare(&self.def, &live, ttl)
            }
        };
        if !self.apply {
            return Ok(EnsureReport {
                drifts,
                applied: Vec::new(),
            });
        }
        let destructive: Vec<Drift> = drifts
            .iter()
            .filter(|d| d.is_destructive())
            .cloned()
            .collect();
        if !destructive.is_empty() {
            return Err(Error::DestructiveChange {
                table,
                changes: destructive,
            });
        }
        let mut applied = Vec::new();
        for drift in &drifts {
            if drift.remedy() != Remedy::Additive {
                continue;
            }
            match drift {
                Drift::MissingTable => {
                    super::create::create(&self.db, &self.def, &table, self.wait).await?;
                }
                Drift::MissingIndex { index, .. } => {
                    if let Some(index) = self.def.index(index) {
                        add_global_index(
                            &self.db,
                            &self.def,
                            &table,
                            index,
                            index_billing,
                            self.wait,
                        )
                        .await?;
                    }
                }
                Drift::Ttl {
                    expected: Some(attribute),
                    ..
                } => enable_ttl(&self.db, model, &table, attribute).await?,
                Drift::Stream {
                    expected: Some(view),
                    ..
                } => enable_stream(&self.db, model, &table, view, self.wait).await?,
                _ => continue,
            }
            applied.push(drift.clone());
        }
        Ok(EnsureReport { drifts, applied })
    }
}

crate::ops::future::into_future_plain!(EnsureTable, EnsureReport);

/// The attribute TTL is enabled on (or being enabled on), if any.
async fn live_ttl(db: &Db, model: &'static str, table: &str) -> Result<Option<String>> {
    let output = db
        .client()
        .describe_time_to_live()
        .table_name(table)
        .send()
        .await
        .map_err(|err| Error::sdk(model, "DescribeTimeToLive", table, err.into_service_error()))?;
    Ok(output
        .time_to_live_description
        .and_then(|d| match d.time_to_live_status {
            Some(TimeToLiveStatus::Enabled | TimeToLiveStatus::Enabling) => d.attribute_name,
            _ => None,
        }))
}

/// The differences between `def` and the live table (`ttl`: the attribute
/// TTL is on for). Pure: unit-tested on hand-built descriptions.
pub(crate) fn compare(def: &TableDef, live: &TableDescription, ttl: Option<String>) -> Vec<Drift> {
    let mut drifts = Vec::new();
    let types = live.attribute_definitions();
    let expected = describe_key(&def.key_schema());
    let actual = describe_live_key(live.key_schema(), types);
    if expected != actual {
        drifts.push(Drift::KeySchema {
            index: None,
            expected,
            actual,
        });
    }
    let live_indexes: Vec<LiveIndex<'_>> = live
        .global_secondary_indexes()
        .iter()
        .map(|i| LiveIndex {
            name: i.index_name().unwrap_or_default(),
            key: i.key_schema(),
            projection: i.projection(),
        })
        .chain(live.local_secondary_indexes().iter().map(|i| LiveIndex {
            name: i.index_name().unwrap_or_default(),
            key: i.key_schema(),
            projection: i.projection(),
        }))
        .collect();
    for index in def.indexes() {
        match live_indexes.iter().find(|l| l.name == index.name()) {
            None => drifts.push(Drift::MissingIndex {
                index: index.name().to_owned(),
                kind: index.kind(),
            }),
            Some(live_index) => compare_index(index, live_index, types, &mut drifts),
        }
    }
    for live_index in &live_indexes {
        if def.index(live_index.name).is_none() {
            drifts.push(Drift::ExtraIndex {
                index: live_index.name.to_owned(),
            });
        }
    }
    let expected_ttl = def.ttl_attribute().map(str::to_owned);
    if expected_ttl != ttl {
        drifts.push(Drift::Ttl {
            expected: expected_ttl,
            actual: ttl,
        });
    }
    let live_stream = live
        .stream_specification()
        .filter(|s| s.stream_enabled())
        .and_then(|s| s.stream_view_type().cloned());
    if def.stream() != live_stream.as_ref() {
        drifts.push(Drift::Stream {
            expected: def.stream().cloned(),
            actual: live_stream,
        });
    }
    let expected_billing = describe_billing(def.billing());
    let actual_billing = describe_live_billing(live);
    if expected_billing != actual_billing {
        drifts.push(Drift::Billing {
            expected: expected_billing,
            actual: actual_billing,
        });
    }
    drifts
}

struct LiveIndex<'a> {
    name: &'a str,
    key: &'a [KeySchemaElement],
    projection: Option<&'a Projection>,
}

fn compare_index(
    index: &IndexDef,
    live: &LiveIndex<'_>,
    types: &[aws_sdk_dynamodb::types::AttributeDefinition],
    drifts: &mut Vec<Drift>,
) {
    let expected = describe_attributes(&index.key_attributes());
    let actual = describe_live_key(live.key, types);
    if expected != actual {
        drifts.push(Drift::KeySchema {
            index: Some(index.name().to_owned()),
            expected,
            actual,
        });
    }
    let expected = describe_projection(index.projection());
    let actual = describe_live_projection(live.projection);
    if expected != actual {
        drifts.push(Drift::Projection {
            index: index.name().to_owned(),
            expected,
            actual,
        });
    }
}

/// A live key as `name (type), ...`, partition key first, in the form
/// [`describe_key`] gives the definition's.
fn describe_live_key(
    key: &[KeySchemaElement],
    types: &[aws_sdk_dynamodb::types::AttributeDefinition],
) -> String {
    let type_of = |name: &str| {
        types
            .iter()
            .find(|d| d.attribute_name() == name)
            .map_or("?", |d| match d.attribute_type() {
                ScalarAttributeType::S => type_name(ScalarType::String),
                ScalarAttributeType::N => type_name(ScalarType::Number),
                ScalarAttributeType::B => type_name(ScalarType::Binary),
                _ => "?",
            })
    };
    let mut ordered: Vec<&KeySchemaElement> = key
        .iter()
        .filter(|k| k.key_type() == &KeyType::Hash)
        .collect();
    ordered.extend(key.iter().filter(|k| k.key_type() != &KeyType::Hash));
    ordered
        .iter()
        .map(|k| format!("{} ({})", k.attribute_name(), type_of(k.attribute_name())))
        .collect::<Vec<_>>()
        .join(", ")
}

fn describe_projection(projection: &ProjectionDef) -> String {
    match projection {
        ProjectionDef::Include(names) => {
            format!(
                "INCLUDE {}",
                names.iter().cloned().collect::<Vec<_>>().join(", ")
            )
        }
        other => other.type_name().to_owned(),
    }
}

fn describe_live_projection(projection: Option<&Projection>) -> String {
    let Some(projection) = projection else {
        return "nothing".to_owned();
    };
    match projection.projection_type() {
        Some(ProjectionType::Include) => {
            let mut names: Vec<&str> = projection
                .non_key_attributes()
                .iter()
                .map(String::as_str)
                .collect();
            names.sort_unstable();
            format!("INCLUDE {}", names.join(", "))
        }
        Some(ProjectionType::KeysOnly) => "KEYS_ONLY".to_owned(),
        Some(ProjectionType::All) => "ALL".to_owned(),
        _ => "an unknown projection".to_owned(),
    }
}

fn describe_billing(billing: Billing) -> String {
    match billing {
        Billing::OnDemand => "PAY_PER_REQUEST".to_owned(),
        Billing::Provisioned(t) => format!("PROVISIONED {}/{}", t.read(), t.write()),
    }
}

fn describe_live_billing(live: &TableDescription) -> String {
    let mode = live
        .billing_mode_summary()
        .and_then(|s| s.billing_mode())
        .cloned()
        .unwrap_or(BillingMode::Provisioned);
    match mode {
        BillingMode::PayPerRequest => "PAY_PER_REQUEST".to_owned(),
        _ => {
            let t = live.provisioned_throughput();
            format!(
                "PROVISIONED {}/{}",
                t.and_then(|t| t.read_capacity_units()).unwrap_or(0),
                t.and_then(|t| t.write_capacity_units()).unwrap_or(0)
            )
        }
    }
}

/// The billing a GSI added to `live` is declared with: ensure leaves the
/// live billing mode as it is, so an on-demand table gets an index without
/// throughput (DynamoDB refuses one), and a provisioned table one with the
/// definition's throughput, or the live table's when the definition is
/// on-demand.
fn billing_for_new_index(def: Billing, live: &TableDescription) -> Billing {
    let on_demand = live.billing_mode_summary().and_then(|s| s.billing_mode())
        == Some(&BillingMode::PayPerRequest);
    match (on_demand, def) {
        (true, _) => Billing::OnDemand,
        (false, Billing::Provisioned(throughput)) => Billing::Provisioned(throughput),
        (false, Billing::OnDemand) => {
            let t = live.provisioned_throughput();
            let units = |v: Option<i64>| v.and_then(|v| u64::try_from(v).ok()).unwrap_or(1);
            Billing::provisioned(
                units(t.and_then(|t| t.read_capacity_units())),
                units(t.and_then(|t| t.write_capacity_units())),
            )
        }
    }
}

/// Creates one GSI with UpdateTable and waits until it is ACTIVE.
async fn add_global_index(
    db: &Db,
    def: &TableDef,
    table: &str,
    index: &IndexDef,
    billing: Billing,
    wait: Duration,
) -> Result<()> {
    let model = def.label();
    let invalid = invalid(def.name());
    let gsi = global_index(index, billing).map_err(&invalid)?;
    let create = aws_sdk_dynamodb::types::CreateGlobalSecondaryIndexAction::builder()
        .index_name(gsi.index_name)
        .set_key_schema(Some(gsi.key_schema))
        .set_projection(gsi.projection)
        .set_provisioned_throughput(gsi.provisioned_throughput)
        .build()
        .map_err(&invalid)?;
    let attributes = index
        .key_attributes()
        .iter()
        .map(attribute_definition)
        .collect::<std::result::Result<Vec<_>, _>>()
        .map_err(&invalid)?;
    let request = db
        .client()
        .update_table()
        .table_name(table)
        .set_attribute_definitions(Some(attributes))
        .global_secondary_index_updates(
            GlobalSecondaryIndexUpdate::builder().create(create).build(),
        )
        .send();
    send(model, "UpdateTable", table, request).await?;
    wait_until_active(db, model, table, wait).await
}

#[cfg(test)]
mod tests {
    use aws_sdk_dynamodb::types::{
        AttributeDefinition, BillingModeSummary, GlobalSecondaryIndexDescription,
        LocalSecondaryIndexDescription, ProvisionedThroughputDescription, StreamSpecification,
    };

    use super::*;
    use crate::schema::{IndexProjection, IndexSchema, KeyAttr, KeySchema};
    use crate::Model;

    /// A model with a GSI and an LSI; only its schema is used.
    struct Shop;

    impl Model for Shop {
        const MODEL_NAME: &'static str = "Shop";
        const TABLE_NAME: &'static str = "shop";
        type Key = ();
        type Fields = ();
        fn fields() {}
        fn key_schema() -> KeySchema {
            KeySchema {
                hash: KeyAttr {
                    name: "pk",
                    scalar_type: ScalarType::String,
                },
                range: Some(KeyAttr {
                    name: "sk",
                    scalar_type: ScalarType::Number,
                }),
            }
        }
        fn key(&self) {}
        fn key_to_item(_: &()) -> Result<crate::Item> {
            Ok(crate::Item::new())
        }
        fn to_item(&self) -> Result<crate::Item> {
            Ok(crate::Item::new())
        }
        fn from_item(_: crate::Item) -> Result<Self> {
            Ok(Shop)
        }
        fn index_schemas() -> &'static [IndexSchema] {
            const fn s(name: &'static str) -> KeyAttr {
                KeyAttr {
                    name,
                    scalar_type: ScalarType::String,
                }
            }
            const SCHEMAS: &[IndexSchema] = &[
                IndexSchema {
                    name: "gsi1",
                    kind: IndexKind::Global,
                    hash: s("g1pk"),
                    range: None,
                    extra_hash: &[],
                    extra_range: &[],
                    projection: IndexProjection::Include(&["b", "a"]),
                },
                IndexSchema {
                    name: "lsi1",
                    kind: IndexKind::Local,
                    hash: s("pk"),
                    range: Some(s("l1")),
                    extra_hash: &[],
                    extra_range: &[],
                    projection: IndexProjection::KeysOnly,
                },
            ];
            SCHEMAS
        }
        fn ttl_attribute() -> Option<&'static str> {
            Some("expires")
        }
    }

    fn def() -> TableDef {
        TableDef::builder("shop")
            .model::<Shop>()
            .billing(Billing::provisioned(5, 4))
            .stream(StreamViewType::NewImage)
            .build()
            .unwrap()
    }

    fn key(hash: &str, range: Option<&str>) -> Vec<KeySchemaElement> {
        let element = |name: &str, key_type| {
            KeySchemaElement::builder()
                .attribute_name(name)
                .key_type(key_type)
                .build()
                .unwrap()
        };
        // Range first: the comparison must not depend on the order described.
        let mut out: Vec<KeySchemaElement> = range
            .map(|r| element(r, KeyType::Range))
            .into_iter()
            .collect();
        out.push(element(hash, KeyType::Hash));
        out
    }

    fn projection(kind: ProjectionType, names: &[&str]) -> Projection {
        Projection::builder()
            .projection_type(kind)
            .set_non_key_attributes(
                (!names.is_empty()).then(|| names.iter().map(|n| (*n).to_owned()).collect()),
            )
            .build()
    }

    /// The live table exactly as `def()` creates it.
    fn live() -> TableDescription {
        let attribute = |name: &str, t: ScalarAttributeType| {
            AttributeDefinition::builder()
                .attribute_name(name)
                .attribute_type(t)
                .build()
                .unwrap()
        };
        TableDescription::builder()
            .set_key_schema(Some(key("pk", Some("sk"))))
            .set_attribute_definitions(Some(vec![
                attribute("pk", ScalarAttributeType::S),
                attribute("sk", ScalarAttributeType::N),
                attribute("g1pk", ScalarAttributeType::S),
                attribute("l1", ScalarAttributeType::S),
            ]))
            .global_secondary_indexes(
                GlobalSecondaryIndexDescription::builder()
                    .index_name("gsi1")
                    .set_key_schema(Some(key("g1pk", None)))
                    .projection(projection(ProjectionType::Include, &["a", "b"]))
                    .build(),
            )
            .local_secondary_indexes(
                LocalSecondaryIndexDescription::builder()
                    .index_name("lsi1")
                    .set_key_schema(Some(key("pk", Some("l1"))))
                    .projection(projection(ProjectionType::KeysOnly, &[]))
                    .build(),
            )
            .stream_specification(
                StreamSpecification::builder()
                    .stream_enabled(true)
                    .stream_view_type(StreamViewType::NewImage)
                    .build()
                    .unwrap(),
            )
            .provisioned_throughput(
                ProvisionedThroughputDescription::builder()
                    .read_capacity_units(5)
                    .write_capacity_units(4)
                    .build(),
            )
            .build()
    }

    fn ttl() -> Option<String> {
        Some("expires".into())
    }

    #[test]
    fn the_table_as_defined_has_no_drift() {
        assert_eq!(compare(&def(), &live(), ttl()), []);
    }

    #[test]
    fn a_missing_gsi_is_additive_and_a_missing_lsi_destructive() {
        let mut table = live();
        table.global_secondary_indexes = None;
        table.local_secondary_indexes = None;
        let drifts = compare(&def(), &table, ttl());
        assert_eq!(
            drifts,
            [
                Drift::MissingIndex {
                    index: "gsi1".into(),
                    kind: IndexKind::Global
                },
                Drift::MissingIndex {
                    index: "lsi1".into(),
                    kind: IndexKind::Local
                },
            ]
        );
        assert_eq!(drifts[0].remedy(), Remedy::Additive);
        assert_eq!(drifts[1].remedy(), Remedy::Destructive);
        assert_eq!(drifts[0].to_string(), "global index `gsi1` is missing");
    }

    #[test]
    fn an_extra_index_is_reported_only() {
        let mut table = live();
        table.global_secondary_indexes.as_mut().unwrap().push(
            GlobalSecondaryIndexDescription::builder()
                .index_name("old")
                .set_key_schema(Some(key("g1pk", None)))
                .build(),
        );
        let drifts = compare(&def(), &table, ttl());
        assert_eq!(
            drifts,
            [Drift::ExtraIndex {
                index: "old".into()
            }]
        );
        assert_eq!(drifts[0].remedy(), Remedy::ReportOnly);
        assert!(!drifts[0].is_destructive());
    }

    #[test]
    fn key_types_names_and_projections_are_compared() {
        let mut table = live();
        table.attribute_definitions.as_mut().unwrap()[1] = AttributeDefinition::builder()
            .attribute_name("sk")
            .attribute_type(ScalarAttributeType::S)
            .build()
            .unwrap();
        table.global_secondary_indexes.as_mut().unwrap()[0].key_schema =
            Some(key("g1pk", Some("pk")));
        table.local_secondary_indexes.as_mut().unwrap()[0].projection =
            Some(projection(ProjectionType::Include, &["b"]));
        let drifts = compare(&def(), &table, ttl());
        assert_eq!(
            drifts,
            [
                Drift::KeySchema {
                    index: None,
                    expected: "pk (S), sk (N)".into(),
                    actual: "pk (S), sk (S)".into()
                },
                Drift::KeySchema {
                    index: Some("gsi1".into()),
                    expected: "g1pk (S)".into(),
                    actual: "g1pk (S), pk (S)".into()
                },
                Drift::Projection {
                    index: "lsi1".into(),
                    expected: "KEYS_ONLY".into(),
                    actual: "INCLUDE b".into()
                },
            ]
        );
        assert!(drifts.iter().all(Drift::is_destructive));
        assert_eq!(
            Drift::list(&drifts[..1]),
            "the table has key pk (S), sk (S), the definition says pk (S), sk (N)"
        );
    }

    #[test]
    fn ttl_off_is_additive_another_attribute_destructive_and_unasked_reported() {
        let off = compare(&def(), &live(), None);
        assert_eq!(
            off,
            [Drift::Ttl {
                expected: Some("expires".into()),
                actual: None
            }]
        );
        assert_eq!(off[0].remedy(), Remedy::Additive);
        let other = compare(&def(), &live(), Some("until".into()));
        assert_eq!(other[0].remedy(), Remedy::Destructive);
        let unasked = Drift::Ttl {
            expected: None,
            actual: Some("x".into()),
        };
        assert_eq!(unasked.remedy(), Remedy::ReportOnly);
        assert_eq!(
            unasked.to_string(),
            "TTL is on `x`, the definition has no TTL attribute"
        );
        assert_eq!(
            off[0].to_string(),
            "TTL is off, the definition enables it on `expires`"
        );
        assert_eq!(
            other[0].to_string(),
            "TTL is on `until`, the definition says `expires`"
        );
    }

    #[test]
    fn stream_off_is_additive_another_view_destructive() {
        let mut table = live();
        table.stream_specification = None;
        let off = compare(&def(), &table, ttl());
        assert_eq!(
            off,
            [Drift::Stream {
                expected: Some(StreamViewType::NewImage),
                actual: None
            }]
        );
        assert_eq!(off[0].remedy(), Remedy::Additive);
        // A described but disabled stream counts as off.
        let mut table = live();
        table.stream_specification = Some(
            StreamSpecification::builder()
                .stream_enabled(false)
                .build()
                .unwrap(),
        );
        assert_eq!(compare(&def(), &table, ttl()), off);
        let mut table = live();
        table.stream_specification = Some(
            StreamSpecification::builder()
                .stream_enabled(true)
                .stream_view_type(StreamViewType::KeysOnly)
                .build()
                .unwrap(),
        );
        let other = compare(&def(), &table, ttl());
        assert_eq!(other[0].remedy(), Remedy::Destructive);
        assert_eq!(
            other[0].to_string(),
            "the stream view is KEYS_ONLY, the definition says NEW_IMAGE"
        );
        let unasked = Drift::Stream {
            expected: None,
            actual: Some(StreamViewType::KeysOnly),
        };
        assert_eq!(unasked.remedy(), Remedy::ReportOnly);
        assert_eq!(
            unasked.to_string(),
            "the stream is on (KEYS_ONLY), the definition asks for none"
        );
        assert_eq!(
            off[0].to_string(),
            "the stream is off, the definition asks for NEW_IMAGE"
        );
    }

    #[test]
    fn billing_mode_and_capacity_are_reported_only() {
        let mut table = live();
        table.billing_mode_summary = Some(
            BillingModeSummary::builder()
                .billing_mode(BillingMode::PayPerRequest)
                .build(),
        );
        let drifts = compare(&def(), &table, ttl());
        assert_eq!(
            drifts,
            [Drift::Billing {
                expected: "PROVISIONED 5/4".into(),
                actual: "PAY_PER_REQUEST".into()
            }]
        );
        assert_eq!(drifts[0].remedy(), Remedy::ReportOnly);
        let mut table = live();
        table.provisioned_throughput = Some(
            ProvisionedThroughputDescription::builder()
                .read_capacity_units(5)
                .write_capacity_units(1)
                .build(),
        );
        assert_eq!(
            compare(&def(), &table, ttl()),
            [Drift::Billing {
                expected: "PROVISIONED 5/4".into(),
                actual: "PROVISIONED 5/1".into()
            }]
        );
    }

    #[test]
    fn a_new_index_follows_the_live_billing_mode() {
        let on_demand = {
            let mut table = live();
            table.billing_mode_summary = Some(
                BillingModeSummary::builder()
                    .billing_mode(BillingMode::PayPerRequest)
                    .build(),
            );
            table
        };
        assert_eq!(
            billing_for_new_index(Billing::provisioned(5, 4), &on_demand),
            Billing::OnDemand
        );
        assert_eq!(
            billing_for_new_index(Billing::provisioned(7, 6), &live()),
            Billing::provisioned(7, 6)
        );
        assert_eq!(
            billing_for_new_index(Billing::OnDemand, &live()),
            Billing::provisioned(5, 4)
        );
    }

    #[test]
    fn a_missing_table_is_additive() {
        assert_eq!(Drift::MissingTable.remedy(), Remedy::Additive);
        assert_eq!(Drift::MissingTable.to_string(), "the table does not exist");
    }
}
