//! [`TableDef`]: the models stored in one table, merged into one
//! definition of that table.
//!
//! Guarantees, checked by [`TableDefBuilder::build`] before any request:
//! every model declares the same table name and the same primary key
//! (attribute names and types); an index declared by several models
//! (an overloaded GSI such as `gsi1`) has the same kind, key attributes
//! and projection type in each (`INCLUDE` lists are merged); one attribute
//! name has one scalar type wherever it is a key; the models agree on the
//! TTL attribute. A disagreement is an [`Error::TableDefinition`] naming
//! both models and the index or attribute. The derive cannot see several
//! models at once, so these checks run when the definition is built (once,
//! at start-up), not at compile time.

use std::collections::BTreeSet;

use aws_sdk_dynamodb::types::{StreamViewType, TableClass};

use super::settings::{Billing, Throughput};
use crate::schema::{IndexKind, IndexProjection, IndexSchema, KeyAttr, KeySchema, ScalarType};
use crate::{Error, Model, Result};

/// Which attributes an index of a [`TableDef`] copies from the table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProjectionDef {
    /// Every attribute.
    All,
    /// Only the table's and the index's key attributes.
    KeysOnly,
    /// The key attributes plus these (the union over the models declaring the index).
    Include(BTreeSet<String>),
}

impl ProjectionDef {
    /// The projection as declared; an INCLUDE list also gets `extra`.
    fn of(projection: IndexProjection, extra: &[&'static str]) -> Self {
        match projection {
            IndexProjection::All => ProjectionDef::All,
            IndexProjection::KeysOnly => ProjectionDef::KeysOnly,
            IndexProjection::Include(names) => {
                ProjectionDef::Include(names.iter().chain(extra).map(|n| (*n).to_owned()).collect())
            }
        }
    }

    /// `ALL`, `KEYS_ONLY` or `INCLUDE`.
    pub fn type_name(&self) -> &'static str {
        match self {
            ProjectionDef::All => "ALL",
            ProjectionDef::KeysOnly => "KEYS_ONLY",
            ProjectionDef::Include(_) => "INCLUDE",
        }
    }
}

/// One secondary index of a [`TableDef`], merged over the models declaring it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexDef {
    name: &'static str,
    kind: IndexKind,
    key: KeySchema,
    /// The further attributes of a multi-attribute key (`hash(a, b)` /
    /// `range(c, d)`), after `key.hash` / `key.range`.
    extra_hash: &'static [KeyAttr],
    extra_range: &'static [KeyAttr],
    projection: ProjectionDef,
    throughput: Option<Throughput>,
    declared_by: Vec<&'static str>,
}

impl IndexDef {
    /// The index name.
    pub fn name(&self) -> &'static str {
        self.name
    }
    /// Global or local.
    pub fn kind(&self) -> IndexKind {
        self.kind
    }
    /// The index's first partition and sort key attributes (see
    /// [`IndexDef::hash_attributes`] for a multi-attribute key).
    pub fn key_schema(&self) -> KeySchema {
        self.key
    }
    /// Every partition key attribute, in key order.
    pub fn hash_attributes(&self) -> Vec<KeyAttr> {
        std::iter::once(self.key.hash)
            .chain(self.extra_hash.iter().copied())
            .collect()
    }
    /// Every sort key attribute, in key order (empty without a sort key).
    pub fn range_attributes(&self) -> Vec<KeyAttr> {
        self.key
            .range
            .into_iter()
            .chain(self.extra_range.iter().copied())
            .collect()
    }
    /// Every key attribute, partition attributes first, each in key order.
    pub fn key_attributes(&self) -> Vec<KeyAttr> {
        let mut out = self.hash_attributes();
        out.extend(self.range_attributes());
        out
    }
    /// The attributes the index copies.
    pub fn projection(&self) -> &ProjectionDef {
        &self.projection
    }
    /// The index's own provisioned throughput (GSIs of a provisioned table
    /// without one get the table's).
    pub fn throughput(&self) -> Option<Throughput> {
        self.throughput
    }
    /// The models declaring the index, in the order they were added.
    pub fn declared_by(&self) -> &[&'static str] {
        &self.declared_by
    }
}

/// The definition of one table and the models stored in it: keys, indexes,
/// TTL, billing, streams, tags, table class and deletion protection.
/// Built with [`TableDef::builder`]; created with
/// [`Db::create_table_from`](crate::Db::create_table_from) and compared with
/// the live table by [`Db::ensure_table`](crate::Db::ensure_table).
///
/// ```
/// # use dynamodel::Model;
/// # use dynamodel::table::{Billing, TableDef};
/// # #[derive(Model)]
/// # #[dynamodel(table = "shop")]
/// # struct Customer { #[dynamodel(hash_key)] pk: String, #[dynamodel(range_key)] sk: String }
/// # #[derive(Model)]
/// # #[dynamodel(table = "shop")]
/// # struct Order { #[dynamodel(hash_key)] pk: String, #[dynamodel(range_key)] sk: String }
/// let shop = TableDef::builder("shop")
///     .model::<Customer>()
///     .model::<Order>()
///     .billing(Billing::provisioned(5, 5))
///     .tag("team", "checkout")
///     .build()?;
/// assert_eq!(shop.models(), ["Customer", "Order"]);
/// # Ok::<(), dynamodel::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct TableDef {
    name: String,
    models: Vec<&'static str>,
    key: KeySchema,
    indexes: Vec<IndexDef>,
    ttl: Option<&'static str>,
    billing: Billing,
    stream: Option<StreamViewType>,
    tags: Vec<(String, String)>,
    table_class: Option<TableClass>,
    deletion_protection: bool,
}

/// Builds a [`TableDef`]: add the models, then the table's settings. Start
/// it with [`TableDef::builder`]; [`TableDefBuilder::build`] checks everything.
#[must_use = "a table definition builder does nothing until `.build()`"]
#[derive(Debug)]
pub struct TableDefBuilder {
    name: String,
    models: Vec<ModelParts>,
    billing: Billing,
    index_throughput: Vec<(String, Throughput)>,
    stream: Option<StreamViewType>,
    tags: Vec<(String, String)>,
    table_class: Option<TableClass>,
    deletion_protection: bool,
}

/// What one model contributes to its table.
#[derive(Debug)]
struct ModelParts {
    name: &'static str,
    table: &'static str,
    key: KeySchema,
    indexes: Vec<IndexSchema>,
    ttl: Option<&'static str>,
    /// The entity attributes (`crate::entity`), which the model's INCLUDE
    /// indexes also hold so that queries through them keep to the entity.
    entity_attributes: Vec<&'static str>,
}

impl ModelParts {
    fn of<M: Model>() -> Self {
        ModelParts {
            name: M::MODEL_NAME,
            table: M::TABLE_NAME,
            key: M::key_schema(),
            indexes: M::index_schemas().to_vec(),
            ttl: M::ttl_attribute(),
            entity_attributes: M::ENTITY.iter().flat_map(|e| e.attributes()).collect(),
        }
    }
}

impl TableDef {
    /// Starts the definition of the table declared as `name` (the
    /// `#[dynamodel(table = "...")]` of its models; the name sent is
    /// resolved per [`Db`](crate::Db): prefix, suffix, or a bound name).
    pub fn builder(name: impl Into<String>) -> TableDefBuilder {
        TableDefBuilder {
            name: name.into(),
            models: Vec::new(),
            billing: Billing::OnDemand,
            index_throughput: Vec::new(),
            stream: None,
            tags: Vec::new(),
            table_class: None,
            deletion_protection: false,
        }
    }

    /// The on-demand table of `M` alone, with its indexes and TTL (what
    /// [`Db::create_table`](crate::Db::create_table) creates).
    pub fn of<M: Model>() -> Result<TableDef> {
        TableDef::builder(M::TABLE_NAME).model::<M>().build()
    }

    /// The table's declared name.
    pub fn name(&self) -> &str {
        &self.name
    }
    /// The models stored in the table, in the order they were added.
    pub fn models(&self) -> &[&'static str] {
        &self.models
    }
    /// The table's primary key.
    pub fn key_schema(&self) -> KeySchema {
        self.key
    }
    /// The secondary indexes, in the order first declared.
    pub fn indexes(&self) -> &[IndexDef] {
        &self.indexes
    }
    /// The index named `name`.
    pub fn index(&self, name: &str) -> Option<&IndexDef> {
        self.indexes.iter().find(|i| i.name == name)
    }
    /// The TTL attribute (epoch seconds), if a model declares one.
    pub fn ttl_attribute(&self) -> Option<&'static str> {
        self.ttl
    }
    /// On-demand or provisioned.
    pub fn billing(&self) -> Billing {
        self.billing
    }
    /// The stream's view type, if the table has a stream.
    pub fn stream(&self) -> Option<&StreamViewType> {
        self.stream.as_ref()
    }
    /// The tags the table is created with.
    pub fn tags(&self) -> &[(String, String)] {
        &self.tags
    }
    /// The table class, if set (DynamoDB's default is `STANDARD`).
    pub fn table_class(&self) -> Option<&TableClass> {
        self.table_class.as_ref()
    }
    /// Whether the table is created with deletion protection.
    pub fn deletion_protection(&self) -> bool {
        self.deletion_protection
    }

    /// The model named in errors and traces of requests about the whole
    /// table (the first model added; `build` refuses an empty definition).
    pub(crate) fn label(&self) -> &'static str {
        self.models.first().copied().unwrap_or("TableDef")
    }

    /// Every key attribute of the table and its indexes, each once, with its type.
    pub(crate) fn key_attributes(&self) -> Vec<KeyAttr> {
        let mut out: Vec<KeyAttr> = Vec::new();
        let table = std::iter::once(self.key.hash).chain(self.key.range);
        let indexes = self.indexes.iter().flat_map(IndexDef::key_attributes);
        for attr in table.chain(indexes) {
            if !out.iter().any(|a| a.name == attr.name) {
                out.push(attr);
            }
        }
        out
    }
}

impl TableDefBuilder {
    /// Adds model `M`: its key, indexes and TTL attribute are merged into the
    /// table's (checked by [`TableDefBuilder::build`]).
    pub fn model<M: Model>(mut self) -> Self {
        self.models.push(ModelParts::of::<M>());
        self
    }

    /// On-demand (the default) or provisioned billing; see
    /// [`TableDefBuilder::index_throughput`] for a GSI's own capacity.
    pub fn billing(mut self, billing: Billing) -> Self {
        self.billing = billing;
        self
    }

    /// Provisioned capacity for the global index `index` (other GSIs of a
    /// provisioned table get the table's). Refused by `build` on an
    /// on-demand table or for an index no model declares as global.
    pub fn index_throughput(mut self, index: impl Into<String>, read: u64, write: u64) -> Self {
        self.index_throughput
            .push((index.into(), Throughput::new(read, write)));
        self
    }

    /// Turns the table's stream on with this view type (`NEW_IMAGE`,
    /// `OLD_IMAGE`, `NEW_AND_OLD_IMAGES`, `KEYS_ONLY`).
    pub fn stream(mut self, view: StreamViewType) -> Self {
        self.stream = Some(view);
        self
    }

    /// Adds a tag the table is created with.
    pub fn tag(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.tags.push((key.into(), value.into()));
        self
    }

    /// The table class (`STANDARD` or `STANDARD_INFREQUENT_ACCESS`).
    pub fn table_class(mut self, class: TableClass) -> Self {
        self.table_class = Some(class);
        self
    }

    /// Creates the table with deletion protection on: DeleteTable is then
    /// refused until it is turned off.
    pub fn deletion_protection(mut self, on: bool) -> Self {
        self.deletion_protection = on;
        self
    }

    /// Checks that the models agree and the settings fit, and returns the
    /// definition; an [`Error::TableDefinition`] names what disagrees.
    pub fn build(self) -> Result<TableDef> {
        let fail = |message: String| Error::TableDefinition {
            table: self.name.clone(),
            message,
        };
        let Some(first) = self.models.first() else {
            return Err(fail("a table definition needs at least one model".into()));
        };
        let mut types = AttributeTypes::default();
        let mut indexes: Vec<IndexDef> = Vec::new();
        let mut ttl: Option<(&'static str, &'static str)> = None;
        for model in &self.models {
            if model.table != self.name {
                return Err(fail(format!(
                    "model `{}` is stored in table `{}`, not `{}`: give it #[dynamodel(table = \"{}\")]",
                    model.name, model.table, self.name, self.name
                )));
            }
            if model.key != first.key {
                return Err(fail(format!(
                    "models `{}` and `{}` disagree on the table's primary key: {} vs {}",
                    first.name,
                    model.name,
                    describe_key(&first.key),
                    describe_key(&model.key)
                )));
            }
            for attr in std::iter::once(model.key.hash).chain(model.key.range) {
                types
                    .check(attr, model.name, "the table key")
                    .map_err(&fail)?;
            }
            for index in &model.indexes {
                for attr in index
                    .hash_attributes()
                    .into_iter()
                    .chain(index.range_attributes())
                {
                    types.check(attr, model.name, index.name).map_err(&fail)?;
                }
                merge_index(&mut indexes, index, model.name, &model.entity_attributes)
                    .map_err(&fail)?;
            }
            if let Some(attr) = model.ttl {
                match ttl {
                    Some((other, owner)) if other != attr => {
                        return Err(fail(format!(
                            "models `{owner}` and `{}` disagree on the TTL attribute: `{other}` vs `{attr}` (a table has one)",
                            model.name
                        )))
                    }
                    Some(_) => {}
                    None => ttl = Some((attr, model.name)),
                }
            }
        }
        for (name, throughput) in &self.index_throughput {
            if !matches!(self.billing, Billing::Provisioned(_)) {
                return Err(fail(format!(
                    "index `{name}` has its own throughput but the table is on-demand: use .billing(Billing::provisioned(..))"
                )));
            }
            match indexes
                .iter_mut()
                .find(|i| i.name == name && i.kind == IndexKind::Global)
            {
                Some(index) => index.throughput = Some(*throughput),
                None => {
                    return Err(fail(format!(
                        "no model declares a global index `{name}` to give throughput to"
                    )))
                }
            }
        }
        Ok(TableDef {
            models: self.models.iter().map(|m| m.name).collect(),
            key: first.key,
            indexes,
            ttl: ttl.map(|(attr, _)| attr),
            billing: self.billing,
            stream: self.stream,
            tags: self.tags,
            table_class: self.table_class,
            deletion_protection: self.deletion_protection,
            name: self.name,
        })
    }
}

/// The scalar type each key attribute was first declared with, and where.
#[derive(Default)]
struct AttributeTypes(Vec<(KeyAttr, &'static str, &'static str)>);

impl AttributeTypes {
    fn check(
        &mut self,
        attr: KeyAttr,
        model: &'static str,
        place: &'static str,
    ) -> std::result::Result<(), String> {
        match self.0.iter().find(|(a, _, _)| a.name == attr.name) {
            Some((first, owner, first_place)) if first.scalar_type != attr.scalar_type => {
                Err(format!(
                    "attribute `{}` is {} in model `{owner}` ({first_place}) but {} in model `{model}` ({place}): one attribute has one type",
                    attr.name,
                    type_name(first.scalar_type),
                    type_name(attr.scalar_type),
                ))
            }
            Some(_) => Ok(()),
            None => {
                self.0.push((attr, model, place));
                Ok(())
            }
        }
    }
}

/// Adds `index` (declared by `model`) to `indexes`, or checks it against
/// the same-named index another model declared.
fn merge_index(
    indexes: &mut Vec<IndexDef>,
    index: &IndexSchema,
    model: &'static str,
    entity_attributes: &[&'static str],
) -> std::result::Result<(), String> {
    let projection = ProjectionDef::of(index.projection, entity_attributes);
    let Some(existing) = indexes.iter_mut().find(|i| i.name == index.name) else {
        indexes.push(IndexDef {
            name: index.name,
            kind: index.kind,
            key: index.key_schema(),
            extra_hash: index.extra_hash,
            extra_range: index.extra_range,
            projection,
            throughput: None,
            declared_by: vec![model],
        });
        return Ok(());
    };
    let owner = existing.declared_by[0];
    let name = index.name;
    if existing.kind != index.kind {
        return Err(format!(
            "index `{name}` is {} in model `{owner}` but {} in model `{model}`",
            kind_name(existing.kind),
            kind_name(index.kind)
        ));
    }
    let theirs: Vec<KeyAttr> = index
        .hash_attributes()
        .into_iter()
        .chain(index.range_attributes())
        .collect();
    if existing.key_attributes() != theirs {
        return Err(format!(
            "models `{owner}` and `{model}` disagree on the key of index `{name}`: {} vs {}",
            describe_attributes(&existing.key_attributes()),
            describe_attributes(&theirs)
        ));
    }
    match (&mut existing.projection, projection) {
        (ProjectionDef::Include(names), ProjectionDef::Include(more)) => names.extend(more),
        (mine, theirs) if *mine == theirs => {}
        (mine, theirs) => {
            return Err(format!(
            "models `{owner}` and `{model}` disagree on the projection of index `{name}`: {} vs {}",
            mine.type_name(),
            theirs.type_name()
        ))
        }
    }
    existing.declared_by.push(model);
    Ok(())
}

fn kind_name(kind: IndexKind) -> &'static str {
    match kind {
        IndexKind::Global => "global",
        IndexKind::Local => "local",
    }
}

pub(crate) fn type_name(scalar: ScalarType) -> &'static str {
    match scalar {
        ScalarType::String => "S",
        ScalarType::Number => "N",
        ScalarType::Binary => "B",
    }
}

/// `pk (S), sk (N)`: names and types only.
pub(crate) fn describe_key(key: &KeySchema) -> String {
    let attributes: Vec<KeyAttr> = std::iter::once(key.hash).chain(key.range).collect();
    describe_attributes(&attributes)
}

/// `a (S), b (N), ...`: key attributes in order, names and types only.
pub(crate) fn describe_attributes(attributes: &[KeyAttr]) -> String {
    attributes
        .iter()
        .map(|attr| format!("{} ({})", attr.name, type_name(attr.scalar_type)))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    const fn attr(name: &'static str, scalar_type: ScalarType) -> KeyAttr {
        KeyAttr { name, scalar_type }
    }
    const PK: KeyAttr = attr("pk", ScalarType::String);
    const SK: KeyAttr = attr("sk", ScalarType::String);

    fn index(
        name: &'static str,
        kind: IndexKind,
        hash: KeyAttr,
        range: Option<KeyAttr>,
        projection: IndexProjection,
    ) -> IndexSchema {
        IndexSchema {
            name,
            kind,
            hash,
            range,
            extra_hash: &[],
            extra_range: &[],
            projection,
        }
    }

    fn gsi1(projection: IndexProjection) -> IndexSchema {
        index(
            "gsi1",
            IndexKind::Global,
            attr("gsi1pk", ScalarType::String),
            Some(attr("gsi1sk", ScalarType::String)),
            projection,
        )
    }

    fn model(name: &'static str, indexes: Vec<IndexSchema>) -> ModelParts {
        ModelParts {
            name,
            table: "shop",
            key: KeySchema {
                hash: PK,
                range: Some(SK),
            },
            indexes,
            ttl: None,
            entity_attributes: Vec::new(),
        }
    }

    fn build(models: Vec<ModelParts>) -> Result<TableDef> {
        let mut builder = TableDef::builder("shop");
        builder.models = models;
        builder.build()
    }

    fn message(result: Result<TableDef>) -> String {
        match result {
            Err(Error::TableDefinition { table, message }) => {
                assert_eq!(table, "shop");
                message
            }
            other => panic!("expected a TableDefinition error, got {other:?}"),
        }
    }

    #[test]
    fn an_overloaded_index_merges_its_include_lists_and_declarers() {
        let def = build(vec![
            model("A", vec![gsi1(IndexProjection::Include(&["x", "y"]))]),
            model("B", vec![gsi1(IndexProjection::Include(&["y", "z"]))]),
            model("C", vec![]),
        ])
        .unwrap();
        assert_eq!(def.models(), ["A", "B", "C"]);
        assert_eq!(def.indexes().len(), 1);
        let gsi = def.index("gsi1").unwrap();
        assert_eq!(gsi.declared_by(), ["A", "B"]);
        assert_eq!(
            gsi.projection(),
            &ProjectionDef::Include(["x", "y", "z"].map(String::from).into())
        );
        assert_eq!(def.label(), "A");
        let names: Vec<&str> = def.key_attributes().iter().map(|a| a.name).collect();
        assert_eq!(names, ["pk", "sk", "gsi1pk", "gsi1sk"]);
    }

    #[test]
    fn equal_projections_merge_and_different_ones_are_refused() {
        let same = build(vec![
            model("A", vec![gsi1(IndexProjection::KeysOnly)]),
            model("B", vec![gsi1(IndexProjection::KeysOnly)]),
        ]);
        assert_eq!(
            same.unwrap().index("gsi1").unwrap().projection(),
            &ProjectionDef::KeysOnly
        );
        let text = message(build(vec![
            model("A", vec![gsi1(IndexProjection::KeysOnly)]),
            model("B", vec![gsi1(IndexProjection::All)]),
        ]));
        assert_eq!(
            text,
            "models `A` and `B` disagree on the projection of index `gsi1`: KEYS_ONLY vs ALL"
        );
    }

    #[test]
    fn the_primary_key_must_match_in_names_and_types() {
        let mut other = model("B", vec![]);
        other.key.range = Some(attr("sk", ScalarType::Number));
        assert_eq!(
            message(build(vec![model("A", vec![]), other])),
            "models `A` and `B` disagree on the table's primary key: pk (S), sk (S) vs pk (S), sk (N)"
        );
        let mut other = model("B", vec![]);
        other.key.range = None;
        assert_eq!(
            message(build(vec![model("A", vec![]), other])),
            "models `A` and `B` disagree on the table's primary key: pk (S), sk (S) vs pk (S)"
        );
    }

    #[test]
    fn an_index_must_keep_its_kind_and_key() {
        let mut local = gsi1(IndexProjection::All);
        local.kind = IndexKind::Local;
        assert_eq!(
            message(build(vec![
                model("A", vec![gsi1(IndexProjection::All)]),
                model("B", vec![local]),
            ])),
            "index `gsi1` is global in model `A` but local in model `B`"
        );
        let mut rekeyed = gsi1(IndexProjection::All);
        rekeyed.range = Some(attr("other", ScalarType::String));
        assert_eq!(
            message(build(vec![
                model("A", vec![gsi1(IndexProjection::All)]),
                model("B", vec![rekeyed]),
            ])),
            "models `A` and `B` disagree on the key of index `gsi1`: gsi1pk (S), gsi1sk (S) vs gsi1pk (S), other (S)"
        );
    }

    #[test]
    fn one_attribute_has_one_type_across_indexes() {
        let by_n = index(
            "by_n",
            IndexKind::Global,
            attr("gsi1sk", ScalarType::Number),
            None,
            IndexProjection::All,
        );
        assert_eq!(
            message(build(vec![
                model("A", vec![gsi1(IndexProjection::All)]),
                model("B", vec![by_n]),
            ])),
            "attribute `gsi1sk` is S in model `A` (gsi1) but N in model `B` (by_n): one attribute has one type"
        );
        // The same attribute with the same type in two indexes is fine.
        let by_s = index(
            "by_s",
            IndexKind::Global,
            attr("gsi1sk", ScalarType::String),
            None,
            IndexProjection::All,
        );
        let def = build(vec![
            model("A", vec![gsi1(IndexProjection::All)]),
            model("B", vec![by_s]),
        ])
        .unwrap();
        assert_eq!(def.key_attributes().len(), 4);
    }

    #[test]
    fn ttl_attributes_must_agree_and_the_table_name_must_match() {
        let mut a = model("A", vec![]);
        a.ttl = Some("expires");
        let mut b = model("B", vec![]);
        b.ttl = Some("expires");
        let c = model("C", vec![]);
        let def = build(vec![c, a, b]).unwrap();
        assert_eq!(def.ttl_attribute(), Some("expires"));
        let mut a = model("A", vec![]);
        a.ttl = Some("expires");
        let mut b = model("B", vec![]);
        b.ttl = Some("until");
        assert_eq!(
            message(build(vec![a, b])),
            "models `A` and `B` disagree on the TTL attribute: `expires` vs `until` (a table has one)"
        );
        let mut elsewhere = model("B", vec![]);
        elsewhere.table = "orders";
        assert!(message(build(vec![model("A", vec![]), elsewhere]))
            .starts_with("model `B` is stored in table `orders`, not `shop`"));
        assert!(message(build(vec![])).contains("at least one model"));
    }

    #[test]
    fn index_throughput_needs_a_provisioned_table_and_a_global_index() {
        let lsi = index(
            "lsi",
            IndexKind::Local,
            PK,
            Some(attr("n", ScalarType::Number)),
            IndexProjection::All,
        );
        let with = |billing: Billing, index: &str| {
            let mut builder = TableDef::builder("shop")
                .billing(billing)
                .index_throughput(index, 3, 2);
            builder.models = vec![model("A", vec![gsi1(IndexProjection::All), lsi])];
            builder.build()
        };
        let def = with(Billing::provisioned(5, 4), "gsi1").unwrap();
        assert_eq!(
            def.index("gsi1").unwrap().throughput(),
            Some(Throughput::new(3, 2))
        );
        assert_eq!(def.index("lsi").unwrap().throughput(), None);
        assert!(message(with(Billing::OnDemand, "gsi1")).contains("the table is on-demand"));
        assert!(message(with(Billing::provisioned(5, 4), "lsi"))
            .contains("no model declares a global index `lsi`"));
    }
}
