//! The shop table as the service deploys it: the [`TableDef`] merged from
//! every model stored in it, with its stream, and the CloudFormation
//! properties of that definition, which `service/template.yaml` must hold
//! (checked by `service/tests/template.rs`).

use aws_sdk_dynamodb::types::StreamViewType;
use dynamodel::schema::{IndexKind, KeyAttr, ScalarType};
use dynamodel::table::{Billing, ProjectionDef, TableDef};
use dynamodel_examples::shop::models::{Address, Customer, Order, OrderLine, TABLE};
use serde_json::{json, Value};

use crate::stream::CustomerTotals;

/// The shop table: every entity stored in it, on-demand, with a
/// `NEW_AND_OLD_IMAGES` stream (the `shop-stream` Lambda needs both images).
pub fn table_def() -> dynamodel::Result<TableDef> {
    TableDef::builder(TABLE)
        .model::<Customer>()
        .model::<Address>()
        .model::<Order>()
        .model::<OrderLine>()
        .model::<CustomerTotals>()
        .stream(StreamViewType::NewAndOldImages)
        .build()
}

/// The properties of an `AWS::DynamoDB::Table` resource that `def`
/// determines, in a canonical order (attribute definitions and indexes by
/// name, `INCLUDE` lists sorted): key schema, attribute definitions, every
/// secondary index's keys and projection, billing mode, stream, TTL.
pub fn cloudformation_properties(def: &TableDef) -> Value {
    let key = def.key_schema();
    let mut attributes: Vec<KeyAttr> = std::iter::once(key.hash).chain(key.range).collect();
    for index in def.indexes() {
        attributes.extend(index.key_attributes());
    }
    attributes.sort_by_key(|attr| attr.name);
    attributes.dedup_by_key(|attr| attr.name);
    let mut properties = serde_json::Map::new();
    properties.insert(
        "KeySchema".into(),
        key_schema(&[key.hash], &key.range.into_iter().collect::<Vec<_>>()),
    );
    properties.insert(
        "AttributeDefinitions".into(),
        attributes
            .iter()
            .map(|attr| json!({"AttributeName": attr.name, "AttributeType": scalar(attr.scalar_type)}))
            .collect(),
    );
    for (kind, property) in [
        (IndexKind::Global, "GlobalSecondaryIndexes"),
        (IndexKind::Local, "LocalSecondaryIndexes"),
    ] {
        let mut indexes: Vec<_> = def.indexes().iter().filter(|i| i.kind() == kind).collect();
        indexes.sort_by_key(|index| index.name());
        if indexes.is_empty() {
            continue;
        }
        let indexes: Vec<Value> = indexes
            .into_iter()
            .map(|index| {
                json!({
                    "IndexName": index.name(),
                    "KeySchema": key_schema(&index.hash_attributes(), &index.range_attributes()),
                    "Projection": projection(index.projection()),
                })
            })
            .collect();
        properties.insert(property.into(), Value::Array(indexes));
    }
    // Provisioned throughput is not compared: set it in the template.
    let billing = match def.billing() {
        Billing::OnDemand => "PAY_PER_REQUEST",
        Billing::Provisioned(_) => "PROVISIONED",
    };
    properties.insert("BillingMode".into(), json!(billing));
    if let Some(view) = def.stream() {
        properties.insert(
            "StreamSpecification".into(),
            json!({"StreamViewType": view.as_str()}),
        );
    }
    if let Some(ttl) = def.ttl_attribute() {
        properties.insert(
            "TimeToLiveSpecification".into(),
            json!({"AttributeName": ttl, "Enabled": true}),
        );
    }
    Value::Object(properties)
}

/// The same properties of a template's table, brought to the canonical
/// order of [`cloudformation_properties`]; the properties `def` does not
/// determine (tags, recovery, ...) are left out.
pub fn canonical_template_properties(properties: &Value) -> Value {
    let mut out = serde_json::Map::new();
    for name in [
        "KeySchema",
        "AttributeDefinitions",
        "GlobalSecondaryIndexes",
        "LocalSecondaryIndexes",
        "BillingMode",
        "StreamSpecification",
        "TimeToLiveSpecification",
    ] {
        if let Some(value) = properties.get(name) {
            out.insert(name.into(), value.clone());
        }
    }
    let by = |key: &'static str| move |a: &Value, b: &Value| a[key].as_str().cmp(&b[key].as_str());
    if let Some(Value::Array(attributes)) = out.get_mut("AttributeDefinitions") {
        attributes.sort_by(by("AttributeName"));
    }
    for name in ["GlobalSecondaryIndexes", "LocalSecondaryIndexes"] {
        if let Some(Value::Array(indexes)) = out.get_mut(name) {
            indexes.sort_by(by("IndexName"));
            for index in indexes {
                if let Some(Value::Array(names)) = index.pointer_mut("/Projection/NonKeyAttributes")
                {
                    names.sort_by(|a, b| a.as_str().cmp(&b.as_str()));
                }
            }
        }
    }
    Value::Object(out)
}

fn key_schema(hash: &[KeyAttr], range: &[KeyAttr]) -> Value {
    let entry = |attr: &KeyAttr, kind| json!({"AttributeName": attr.name, "KeyType": kind});
    hash.iter()
        .map(|attr| entry(attr, "HASH"))
        .chain(range.iter().map(|attr| entry(attr, "RANGE")))
        .collect()
}

fn projection(projection: &ProjectionDef) -> Value {
    match projection {
        ProjectionDef::Include(names) => json!({
            "ProjectionType": "INCLUDE",
            "NonKeyAttributes": names.iter().collect::<Vec<_>>(),
        }),
        other => json!({"ProjectionType": other.type_name()}),
    }
}

fn scalar(scalar: ScalarType) -> &'static str {
    match scalar {
        ScalarType::String => "S",
        ScalarType::Number => "N",
        ScalarType::Binary => "B",
    }
}
