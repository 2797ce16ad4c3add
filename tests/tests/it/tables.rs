//! Tables from several models: one definition for the three `shop` models
//! created with every index and setting and described back equal; the
//! checks that refuse models that disagree; the settings DynamoDB Local
//! takes or ignores.

use aws_sdk_dynamodb::types::{
    BillingMode, IndexStatus, KeyType, ProjectionType, ScalarAttributeType, StreamViewType,
    TableClass, TableStatus, TimeToLiveStatus,
};
use dynamodel::table::{Billing, ProjectionDef, TableDef};
use dynamodel::{Error, Model};
use dynamodel_tests::db;

use crate::table_fixture::{shop, Customer, Order, Product};

fn key_of(key: &[aws_sdk_dynamodb::types::KeySchemaElement]) -> Vec<(String, KeyType)> {
    key.iter()
        .map(|k| (k.attribute_name().to_owned(), k.key_type().clone()))
        .collect()
}

fn hash_range(hash: &str, range: &str) -> Vec<(String, KeyType)> {
    vec![(hash.into(), KeyType::Hash), (range.into(), KeyType::Range)]
}

#[tokio::test]
async fn three_models_make_one_table_with_two_gsis_and_an_lsi_described_back_equal() {
    let db = db("tables-shop").await;
    let def = shop();
    assert_eq!(def.models(), ["Customer", "Order", "Product"]);
    let gsi1 = def.index("gsi1").expect("gsi1 declared");
    assert_eq!(gsi1.declared_by(), ["Customer", "Order"]);
    assert_eq!(
        gsi1.projection(),
        &ProjectionDef::Include(["email".to_owned(), "total".to_owned()].into())
    );
    db.create_table_from(&def).await.unwrap();

    let table = db.table_name_for("shop");
    let live = db
        .client()
        .describe_table()
        .table_name(&table)
        .send()
        .await
        .unwrap()
        .table
        .unwrap();
    assert_eq!(live.table_status, Some(TableStatus::Active));
    assert_eq!(key_of(live.key_schema()), hash_range("pk", "sk"));
    let mut types: Vec<(String, ScalarAttributeType)> = live
        .attribute_definitions()
        .iter()
        .map(|d| (d.attribute_name().to_owned(), d.attribute_type().clone()))
        .collect();
    types.sort_by(|a, b| a.0.cmp(&b.0));
    let s = ScalarAttributeType::S;
    let n = ScalarAttributeType::N;
    assert_eq!(
        types,
        vec![
            ("gsi1pk".into(), s.clone()),
            ("gsi1sk".into(), s.clone()),
            ("pk".into(), s.clone()),
            ("placed".into(), n.clone()),
            ("sk".into(), s.clone()),
            ("status".into(), s.clone()),
            ("updated".into(), n.clone()),
        ]
    );

    let gsis = live.global_secondary_indexes();
    assert_eq!(gsis.len(), 2);
    let gsi = |name: &str| {
        gsis.iter()
            .find(|g| g.index_name() == Some(name))
            .unwrap_or_else(|| panic!("GSI {name} missing"))
    };
    let g1 = gsi("gsi1");
    assert_eq!(key_of(g1.key_schema()), hash_range("gsi1pk", "gsi1sk"));
    let projection = g1.projection().unwrap();
    assert_eq!(projection.projection_type(), Some(&ProjectionType::Include));
    let mut included = projection.non_key_attributes().to_vec();
    included.sort();
    assert_eq!(included, ["email", "total"]);
    let by_status = gsi("by_status");
    assert_eq!(
        key_of(by_status.key_schema()),
        hash_range("status", "placed")
    );
    assert_eq!(
        by_status.projection().unwrap().projection_type(),
        Some(&ProjectionType::All)
    );
    for g in gsis {
        assert_eq!(
            g.index_status,
            Some(IndexStatus::Active),
            "created waits for every GSI"
        );
    }
    let throughput = |t: Option<&aws_sdk_dynamodb::types::ProvisionedThroughputDescription>| {
        let t = t.expect("provisioned throughput described");
        (t.read_capacity_units(), t.write_capacity_units())
    };
    assert_eq!(throughput(g1.provisioned_throughput()), (Some(5), Some(4)));
    assert_eq!(
        throughput(by_status.provisioned_throughput()),
        (Some(3), Some(2))
    );

    let lsis = live.local_secondary_indexes();
    assert_eq!(lsis.len(), 1);
    assert_eq!(lsis[0].index_name(), Some("by_updated"));
    assert_eq!(key_of(lsis[0].key_schema()), hash_range("pk", "updated"));
    assert_eq!(
        lsis[0].projection().unwrap().projection_type(),
        Some(&ProjectionType::KeysOnly)
    );

    // Provisioned billing: DynamoDB Local describes no billing-mode summary
    // for a provisioned table; the table's capacity is what it was given.
    let mode = live
        .billing_mode_summary()
        .and_then(|b| b.billing_mode().cloned());
    assert!(
        matches!(mode, None | Some(BillingMode::Provisioned)),
        "{mode:?}"
    );
    assert_eq!(
        throughput(live.provisioned_throughput()),
        (Some(5), Some(4))
    );

    let stream = live
        .stream_specification()
        .expect("the stream is described");
    assert!(stream.stream_enabled());
    assert_eq!(
        stream.stream_view_type(),
        Some(&StreamViewType::NewAndOldImages)
    );
    assert!(live.latest_stream_arn().is_some());

    let ttl = db
        .client()
        .describe_time_to_live()
        .table_name(&table)
        .send()
        .await
        .unwrap()
        .time_to_live_description
        .unwrap();
    assert_eq!(ttl.time_to_live_status, Some(TimeToLiveStatus::Enabled));
    assert_eq!(ttl.attribute_name(), Some("expires"));

    // And the same comparison `ensure` makes finds nothing to change.
    let report = db.ensure_table(&def).await.unwrap();
    assert!(report.is_in_sync(), "{:?}", report.drifts());

    // Every model of the table reads and writes it.
    db.put(&crate::table_fixture::customer("ann", None))
        .await
        .unwrap();
    db.put(&crate::table_fixture::order("1", None))
        .await
        .unwrap();
    let found = db
        .query_index(Order::indexes().by_status, "open")
        .all()
        .await
        .unwrap();
    assert_eq!(found, vec![crate::table_fixture::order("1", None)]);
    let overloaded = db
        .query_index(Order::indexes().gsi1, "orders")
        .count()
        .await
        .unwrap();
    assert_eq!(overloaded, 1);
}

#[tokio::test]
async fn tags_table_class_and_deletion_protection_as_dynamodb_local_answers_them() {
    let db = db("tables-settings").await;
    let def = TableDef::builder("products")
        .model::<Item>()
        .tag("team", "checkout")
        .table_class(TableClass::StandardInfrequentAccess)
        .deletion_protection(true)
        .build()
        .unwrap();
    assert_eq!(def.tags(), [("team".to_owned(), "checkout".to_owned())]);
    db.create_table_from(&def).await.unwrap();
    let table = db.table_name_for("products");
    let live = db
        .client()
        .describe_table()
        .table_name(&table)
        .send()
        .await
        .unwrap()
        .table
        .unwrap();
    // Deletion protection is supported: DeleteTable is refused.
    assert_eq!(live.deletion_protection_enabled(), Some(true));
    let refused = db.delete_table::<Item>().await.unwrap_err();
    assert!(refused.is_rejected(), "{refused:?}");
    assert!(
        refused.to_string().contains("protected against deletion"),
        "{refused}"
    );
    // DynamoDB Local takes the table class and the tags in CreateTable but
    // ignores them: DescribeTable has no table-class summary, and
    // ListTagsOfResource is not supported.
    assert_eq!(live.table_class_summary(), None);
    let tags = db
        .client()
        .list_tags_of_resource()
        .resource_arn(live.table_arn().unwrap())
        .send()
        .await
        .unwrap_err();
    assert!(
        format!("{tags:?}").contains("Tagging is not currently supported in DynamoDB Local"),
        "{tags:?}"
    );
    // Turned off explicitly, the table can be deleted (deletion stays explicit).
    db.client()
        .update_table()
        .table_name(&table)
        .deletion_protection_enabled(false)
        .send()
        .await
        .unwrap();
    db.delete_table::<Item>().await.unwrap();
}

#[derive(Model, Debug, Clone, PartialEq)]
#[dynamodel(table = "products")]
struct Item {
    #[dynamodel(hash_key)]
    id: String,
}

/// `shop`, but its sort key is a number.
#[derive(Model, Debug, Clone, PartialEq)]
#[dynamodel(table = "shop")]
struct NumberedSk {
    #[dynamodel(hash_key)]
    pk: String,
    #[dynamodel(range_key)]
    sk: u64,
}

/// `gsi1` with a numeric sort key.
#[derive(Model, Debug, Clone, PartialEq)]
#[dynamodel(
    table = "shop",
    gsi(name = "gsi1", hash = gsi1pk, range = gsi1sk, projection = "all")
)]
struct NumberedGsi {
    #[dynamodel(hash_key)]
    pk: String,
    #[dynamodel(range_key)]
    sk: String,
    gsi1pk: String,
    gsi1sk: u64,
}

/// `gsi1` projecting everything, where Customer projects `email` only.
#[derive(Model, Debug, Clone, PartialEq)]
#[dynamodel(
    table = "shop",
    gsi(name = "gsi1", hash = gsi1pk, range = gsi1sk, projection = "all")
)]
struct AllGsi {
    #[dynamodel(hash_key)]
    pk: String,
    #[dynamodel(range_key)]
    sk: String,
    gsi1pk: String,
    gsi1sk: String,
}

/// `expires` is not the TTL here, `until` is.
#[derive(Model, Debug, Clone, PartialEq)]
#[dynamodel(table = "shop")]
struct OtherTtl {
    #[dynamodel(hash_key)]
    pk: String,
    #[dynamodel(range_key)]
    sk: String,
    #[dynamodel(ttl)]
    until: i64,
}

fn refused(def: dynamodel::table::TableDefBuilder) -> String {
    match def.build() {
        Err(Error::TableDefinition { table, message }) => {
            assert_eq!(table, "shop");
            message
        }
        other => panic!("expected a TableDefinition error, got {other:?}"),
    }
}

#[test]
fn models_that_disagree_are_refused_naming_both() {
    let message = refused(
        TableDef::builder("shop")
            .model::<Customer>()
            .model::<NumberedSk>(),
    );
    assert!(message.contains("`Customer` and `NumberedSk`"), "{message}");
    assert!(
        message.contains("sk (S)") && message.contains("sk (N)"),
        "{message}"
    );

    let message = refused(
        TableDef::builder("shop")
            .model::<Customer>()
            .model::<NumberedGsi>(),
    );
    assert!(message.contains("gsi1sk"), "{message}");
    assert!(
        message.contains("Customer") && message.contains("NumberedGsi"),
        "{message}"
    );

    let message = refused(
        TableDef::builder("shop")
            .model::<Customer>()
            .model::<AllGsi>(),
    );
    assert!(message.contains("projection of index `gsi1`"), "{message}");
    assert!(message.contains("INCLUDE vs ALL"), "{message}");

    let message = refused(
        TableDef::builder("shop")
            .model::<Order>()
            .model::<OtherTtl>(),
    );
    assert!(
        message.contains("TTL attribute: `expires` vs `until`"),
        "{message}"
    );

    let message = refused(TableDef::builder("shop").model::<Item>());
    assert!(
        message.contains("model `Item` is stored in table `products`"),
        "{message}"
    );

    let message = refused(TableDef::builder("shop"));
    assert!(message.contains("at least one model"), "{message}");

    let message = refused(
        TableDef::builder("shop")
            .model::<Product>()
            .index_throughput("by_updated", 1, 1),
    );
    assert!(message.contains("on-demand"), "{message}");
    let message = refused(
        TableDef::builder("shop")
            .model::<Product>()
            .billing(Billing::provisioned(1, 1))
            .index_throughput("by_updated", 1, 1),
    );
    assert!(
        message.contains("no model declares a global index `by_updated`"),
        "{message}"
    );
}

#[tokio::test]
async fn create_table_of_one_model_still_works_and_is_on_demand() {
    let db = db("tables-one").await;
    db.create_table::<Item>().await.unwrap();
    let live = db
        .client()
        .describe_table()
        .table_name(db.table_name::<Item>())
        .send()
        .await
        .unwrap()
        .table
        .unwrap();
    assert_eq!(
        live.billing_mode_summary().and_then(|b| b.billing_mode()),
        Some(&BillingMode::PayPerRequest)
    );
    let report = db
        .ensure_table(&TableDef::of::<Item>().unwrap())
        .await
        .unwrap();
    assert!(report.is_in_sync(), "{:?}", report.drifts());
}
