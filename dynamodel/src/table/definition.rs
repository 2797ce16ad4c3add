//! What a table's CreateTable request declares: the key schema, the
//! attribute definitions (each key attribute of the table and its indexes
//! once) and the secondary index definitions, from a [`TableDef`].

use aws_sdk_dynamodb::types::{
    AttributeDefinition, GlobalSecondaryIndex, KeySchemaElement, KeyType, LocalSecondaryIndex,
    Projection, ProjectionType,
};

use super::settings::Billing;
use super::shared::{IndexDef, ProjectionDef, TableDef};
use crate::schema::{IndexKind, KeyAttr, KeySchema};
use crate::{Error, Result};

/// The parts of a CreateTable request that come from the models.
pub(super) struct TableDefinition {
    pub keys: Vec<KeySchemaElement>,
    pub attributes: Vec<AttributeDefinition>,
    pub global_indexes: Option<Vec<GlobalSecondaryIndex>>,
    pub local_indexes: Option<Vec<LocalSecondaryIndex>>,
}

impl TableDefinition {
    /// The key schema, attribute definitions and indexes of `def`.
    pub fn of(def: &TableDef) -> Result<Self> {
        let invalid = |err: aws_sdk_dynamodb::error::BuildError| Error::TableDefinition {
            table: def.name().to_owned(),
            message: err.to_string(),
        };
        let keys = key_elements(&def.key_schema()).map_err(invalid)?;
        let attributes = def
            .key_attributes()
            .iter()
            .map(attribute_definition)
            .collect::<std::result::Result<Vec<_>, _>>()
            .map_err(invalid)?;
        let mut globals = Vec::new();
        let mut locals = Vec::new();
        for index in def.indexes() {
            match index.kind() {
                IndexKind::Global => {
                    globals.push(global_index(index, def.billing()).map_err(invalid)?)
                }
                IndexKind::Local => locals.push(local_index(index).map_err(invalid)?),
            }
        }
        Ok(TableDefinition {
            keys,
            attributes,
            global_indexes: (!globals.is_empty()).then_some(globals),
            local_indexes: (!locals.is_empty()).then_some(locals),
        })
    }
}

type Built<T> = std::result::Result<T, aws_sdk_dynamodb::error::BuildError>;

/// The key schema elements of `index`: every partition attribute, then every
/// sort attribute, each in key order (several for a multi-attribute key).
fn index_key_elements(index: &IndexDef) -> Built<Vec<KeySchemaElement>> {
    let hash = index
        .hash_attributes()
        .into_iter()
        .map(|a| (a, KeyType::Hash));
    let range = index
        .range_attributes()
        .into_iter()
        .map(|a| (a, KeyType::Range));
    hash.chain(range)
        .map(|(attr, key_type)| key_element(&attr, key_type))
        .collect()
}

/// The key schema elements of `key`, partition key first.
pub(super) fn key_elements(key: &KeySchema) -> Built<Vec<KeySchemaElement>> {
    let mut keys = vec![key_element(&key.hash, KeyType::Hash)?];
    if let Some(range) = &key.range {
        keys.push(key_element(range, KeyType::Range)?);
    }
    Ok(keys)
}

fn key_element(attr: &KeyAttr, key_type: KeyType) -> Built<KeySchemaElement> {
    KeySchemaElement::builder()
        .attribute_name(attr.name)
        .key_type(key_type)
        .build()
}

pub(super) fn attribute_definition(attr: &KeyAttr) -> Built<AttributeDefinition> {
    AttributeDefinition::builder()
        .attribute_name(attr.name)
        .attribute_type(attr.scalar_type.to_sdk())
        .build()
}

fn projection(def: &ProjectionDef) -> Projection {
    match def {
        ProjectionDef::All => Projection::builder().projection_type(ProjectionType::All),
        ProjectionDef::KeysOnly => Projection::builder().projection_type(ProjectionType::KeysOnly),
        ProjectionDef::Include(names) => Projection::builder()
            .projection_type(ProjectionType::Include)
            .set_non_key_attributes(Some(names.iter().cloned().collect())),
    }
    .build()
}

/// A GSI as CreateTable and UpdateTable declare it (with its throughput on
/// a provisioned table).
pub(super) fn global_index(index: &IndexDef, billing: Billing) -> Built<GlobalSecondaryIndex> {
    let throughput = match billing {
        Billing::OnDemand => None,
        Billing::Provisioned(table) => Some(index.throughput().unwrap_or(table).to_sdk()?),
    };
    GlobalSecondaryIndex::builder()
        .index_name(index.name())
        .set_key_schema(Some(index_key_elements(index)?))
        .projection(projection(index.projection()))
        .set_provisioned_throughput(throughput)
        .build()
}

fn local_index(index: &IndexDef) -> Built<LocalSecondaryIndex> {
    LocalSecondaryIndex::builder()
        .index_name(index.name())
        .set_key_schema(Some(index_key_elements(index)?))
        .projection(projection(index.projection()))
        .build()
}
