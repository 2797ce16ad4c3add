//! `service/template.yaml` holds the shop table the models define: key
//! schema, attribute definitions, every secondary index's keys and
//! projection, billing mode, stream and TTL equal
//! [`shop_service::table::table_def`]'s. When a model's key template or
//! index changes and the template does not follow, this fails and prints
//! the table properties to paste.

use serde_json::Value;
use shop_service::table::{canonical_template_properties, cloudformation_properties, table_def};

const TEMPLATE: &str = include_str!("../template.yaml");

fn template() -> Value {
    serde_yaml_ng::from_str(TEMPLATE).expect("template.yaml is YAML in long form (no `!Ref` tags)")
}

/// The template's resources of type `kind`.
fn resources<'a>(template: &'a Value, kind: &str) -> Vec<(&'a String, &'a Value)> {
    template["Resources"]
        .as_object()
        .expect("the template has resources")
        .iter()
        .filter(|(_, resource)| resource["Type"] == kind)
        .collect()
}

fn table_properties(template: &Value) -> &Value {
    let tables = resources(template, "AWS::DynamoDB::Table");
    let [(_, table)] = tables.as_slice() else {
        panic!("one table expected, found {}", tables.len());
    };
    &table["Properties"]
}

/// `None` when the template's table is the models'; else the message.
fn mismatch(template: &Value) -> Option<String> {
    let def = table_def().expect("the shop's models agree on one table");
    let expected = cloudformation_properties(&def);
    let actual = canonical_template_properties(table_properties(template));
    (actual != expected).then(|| {
        format!(
            "service/template.yaml's table differs from the models' ({:?}); its properties should read:\n{}",
            def.models(),
            serde_yaml_ng::to_string(&expected).expect("YAML renders")
        )
    })
}

#[test]
fn the_template_table_is_the_models_table() {
    if let Some(message) = mismatch(&template()) {
        panic!("{message}");
    }
}

#[test]
fn the_check_catches_a_template_that_does_not_follow_the_models() {
    let def = table_def().unwrap();
    assert!(!def.indexes().is_empty(), "the shop has secondary indexes");
    fn table(template: &mut Value) -> &mut Value {
        let name = resources(template, "AWS::DynamoDB::Table")[0].0.clone();
        &mut template["Resources"][name]["Properties"]
    }
    // An index left out, a key attribute retyped, an index's key renamed,
    // its projection changed, the stream turned off: each is caught.
    type Mutation = (&'static str, fn(&mut Value));
    let mutations: [Mutation; 5] = [
        ("index removed", |t| {
            t["GlobalSecondaryIndexes"].as_array_mut().unwrap().pop();
        }),
        ("attribute retyped", |t| {
            t["AttributeDefinitions"][0]["AttributeType"] = "N".into();
        }),
        ("index key renamed", |t| {
            t["GlobalSecondaryIndexes"][0]["KeySchema"][0]["AttributeName"] = "other".into();
        }),
        ("projection changed", |t| {
            t["GlobalSecondaryIndexes"][0]["Projection"] =
                serde_json::json!({"ProjectionType": "KEYS_ONLY"});
        }),
        ("stream off", |t| {
            t.as_object_mut().unwrap().remove("StreamSpecification");
        }),
    ];
    for (what, mutate) in mutations {
        let mut template = template();
        mutate(table(&mut template));
        let message = mismatch(&template).unwrap_or_else(|| panic!("{what}: not caught"));
        assert!(message.contains("GlobalSecondaryIndexes:"), "{message}");
    }
}

#[test]
fn the_functions_read_the_table_they_are_given() {
    let template = template();
    let functions = resources(&template, "AWS::Serverless::Function");
    let names: Vec<&str> = functions.iter().map(|(name, _)| name.as_str()).collect();
    assert_eq!(names.len(), 2, "{names:?}");
    let table = resources(&template, "AWS::DynamoDB::Table")[0].0;
    let globals = &template["Globals"]["Function"];
    for (name, function) in functions {
        let properties = &function["Properties"];
        // Set per function or for all of them (`Globals`).
        let setting = |key: &str| match &properties[key] {
            Value::Null => &globals[key],
            own => own,
        };
        assert_eq!(setting("Runtime"), "provided.al2023", "{name}");
        assert_eq!(
            setting("Architectures"),
            &serde_json::json!(["arm64"]),
            "{name}"
        );
        assert_eq!(
            properties["Environment"]["Variables"][shop_service::stream::TABLE_ENV],
            serde_json::json!({ "Ref": table }),
            "{name}"
        );
    }
    let stream = &template["Resources"]["ShopStreamFunction"]["Properties"]["Events"]
        ["ShopTableStream"]["Properties"];
    assert_eq!(
        stream["FunctionResponseTypes"],
        serde_json::json!(["ReportBatchItemFailures"])
    );
    assert_eq!(stream["BisectBatchOnFunctionError"], true);
}
