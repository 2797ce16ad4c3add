//! What a model's CreateTable request declares: the key schema, the
//! attribute definitions (each key attribute of the table and its indexes
//! once) and the secondary index definitions.

use aws_sdk_dynamodb::types::{
    AttributeDefinition, GlobalSecondaryIndex, KeySchemaElement, KeyType, LocalSecondaryIndex,
    Projection, ProjectionType,
};

use crate::schema::KeyAttr;
use crate::schema::{IndexKind, IndexProjection};
use crate::{Error, Model, Result};

/// The parts of a CreateTable request that come from the model.
pub(super) struct TableDefinition {
    pub keys: Vec<KeySchemaElement>,
    pub attributes: Vec<AttributeDefinition>,
    pub global_indexes: Option<Vec<GlobalSecondaryIndex>>,
    pub local_indexes: Option<Vec<LocalSecondaryIndex>>,
}

/// Global and local index definitions (`None` when there are none).
type Indexes = (
    Option<Vec<GlobalSecondaryIndex>>,
    Option<Vec<LocalSecondaryIndex>>,
);

impl TableDefinition {
    /// `M`'s table: its key schema and declared indexes.
    pub fn of<M: Model>() -> Result<Self> {
        let schema = M::key_schema();
        let mut keys = vec![key_element::<M>(&schema.hash, KeyType::Hash)?];
        let mut attributes = vec![attribute_definition::<M>(&schema.hash)?];
        if let Some(range) = &schema.range {
            keys.push(key_element::<M>(range, KeyType::Range)?);
            attributes.push(attribute_definition::<M>(range)?);
        }
        let (global_indexes, local_indexes) = index_definitions::<M>(&mut attributes)?;
        Ok(TableDefinition {
            keys,
            attributes,
            global_indexes,
            local_indexes,
        })
    }
}

fn key_element<M: Model>(attr: &KeyAttr, key_type: KeyType) -> Result<KeySchemaElement> {
    KeySchemaElement::builder()
        .attribute_name(attr.name)
        .key_type(key_type)
        .build()
        .map_err(|err| invalid::<M>(err.to_string()))
}

fn attribute_definition<M: Model>(attr: &KeyAttr) -> Result<AttributeDefinition> {
    AttributeDefinition::builder()
        .attribute_name(attr.name)
        .attribute_type(attr.scalar_type.to_sdk())
        .build()
        .map_err(|err| invalid::<M>(err.to_string()))
}

fn invalid<M: Model>(message: String) -> Error {
    Error::InvalidRequest {
        model: M::MODEL_NAME,
        message,
    }
}

/// The index definitions of `M`'s CreateTable request; adds their key
/// attributes to `definitions`.
fn index_definitions<M: Model>(definitions: &mut Vec<AttributeDefinition>) -> Result<Indexes> {
    let mut globals = Vec::new();
    let mut locals = Vec::new();
    for index in M::index_schemas() {
        let mut keys = vec![key_element::<M>(&index.hash, KeyType::Hash)?];
        let mut attrs = vec![index.hash];
        if let Some(range) = &index.range {
            keys.push(key_element::<M>(range, KeyType::Range)?);
            attrs.push(*range);
        }
        for attr in attrs {
            if !definitions.iter().any(|d| d.attribute_name() == attr.name) {
                definitions.push(attribute_definition::<M>(&attr)?);
            }
        }
        let projection = match index.projection {
            IndexProjection::All => Projection::builder().projection_type(ProjectionType::All),
            IndexProjection::KeysOnly => {
                Projection::builder().projection_type(ProjectionType::KeysOnly)
            }
            // An entity's index also holds its entity attributes, so that
            // queries through it can keep to the entity (`crate::entity`).
            IndexProjection::Include(names) => Projection::builder()
                .projection_type(ProjectionType::Include)
                .set_non_key_attributes(Some(
                    names
                        .iter()
                        .copied()
                        .chain(M::ENTITY.into_iter().flat_map(|e| e.attributes()))
                        .fold(Vec::new(), |mut out: Vec<String>, name| {
                            if !out.iter().any(|n| n == name) {
                                out.push(name.to_owned());
                            }
                            out
                        }),
                )),
        }
        .build();
        match index.kind {
            IndexKind::Global => globals.push(
                GlobalSecondaryIndex::builder()
                    .index_name(index.name)
                    .set_key_schema(Some(keys))
                    .projection(projection)
                    .build()
                    .map_err(|err| invalid::<M>(err.to_string()))?,
            ),
            IndexKind::Local => locals.push(
                LocalSecondaryIndex::builder()
                    .index_name(index.name)
                    .set_key_schema(Some(keys))
                    .projection(projection)
                    .build()
                    .map_err(|err| invalid::<M>(err.to_string()))?,
            ),
        }
    }
    Ok((
        (!globals.is_empty()).then_some(globals),
        (!locals.is_empty()).then_some(locals),
    ))
}
