//! `ensure`: each kind of drift reported without changing anything; the
//! additive ones applied on request (a missing GSI, TTL, the stream, a
//! missing table); destructive ones refused before any change.

use aws_sdk_dynamodb::types::StreamViewType;
use dynamodel::schema::IndexKind;
use dynamodel::table::{Drift, Remedy, TableDef};
use dynamodel::{Db, Error, Model};
use dynamodel_tests::db;

use crate::table_fixture::{shop, Customer, Product};

/// What the live table looks like, for checking that nothing changed.
async fn snapshot(db: &Db) -> String {
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
    let mut gsis: Vec<&str> = live
        .global_secondary_indexes()
        .iter()
        .filter_map(|g| g.index_name())
        .collect();
    gsis.sort_unstable();
    let ttl = db
        .client()
        .describe_time_to_live()
        .table_name(&table)
        .send()
        .await
        .unwrap()
        .time_to_live_description;
    format!(
        "gsis {gsis:?} stream {:?} ttl {:?}",
        live.stream_specification(),
        ttl.and_then(|t| t.time_to_live_status)
    )
}

fn sorted(drifts: &[Drift]) -> Vec<String> {
    let mut out: Vec<String> = drifts.iter().map(ToString::to_string).collect();
    out.sort();
    out
}

#[tokio::test]
async fn a_missing_table_is_reported_then_created_on_apply() {
    let db = db("ensure-missing").await;
    let def = shop();
    let report = db.ensure_table(&def).await.unwrap();
    assert_eq!(report.drifts(), [Drift::MissingTable]);
    assert!(report.applied().is_empty());
    assert!(db
        .client()
        .describe_table()
        .table_name(db.table_name_for("shop"))
        .send()
        .await
        .is_err());

    let report = db.ensure_table(&def).apply().await.unwrap();
    assert_eq!(report.applied(), [Drift::MissingTable]);
    let report = db.ensure_table(&def).await.unwrap();
    assert!(report.is_in_sync(), "{:?}", report.drifts());
}

#[tokio::test]
async fn every_additive_drift_is_reported_unchanged_then_applied_one_gsi_at_a_time() {
    let db = db("ensure-additive").await;
    // A live table holding Product alone: on-demand, its LSI, no GSI, no
    // TTL, no stream.
    let old = TableDef::builder("shop")
        .model::<Product>()
        .build()
        .unwrap();
    db.create_table_from(&old).await.unwrap();
    let before = snapshot(&db).await;

    let def = shop();
    let report = db.ensure_table(&def).await.unwrap();
    assert_eq!(
        sorted(report.drifts()),
        [
            "TTL is off, the definition enables it on `expires`",
            "billing is PAY_PER_REQUEST, the definition says PROVISIONED 5/4",
            "global index `by_status` is missing",
            "global index `gsi1` is missing",
            "the stream is off, the definition asks for NEW_AND_OLD_IMAGES",
        ]
    );
    let remedies: Vec<Remedy> = report.drifts().iter().map(Drift::remedy).collect();
    assert_eq!(
        remedies.iter().filter(|r| **r == Remedy::Additive).count(),
        4,
        "{remedies:?}"
    );
    assert!(report.drifts().contains(&Drift::MissingIndex {
        index: "gsi1".into(),
        kind: IndexKind::Global
    }));
    assert_eq!(snapshot(&db).await, before, "reporting changes nothing");

    let report = db.ensure_table(&def).apply().await.unwrap();
    assert_eq!(report.applied().len(), 4, "{:?}", report.applied());
    assert!(report
        .applied()
        .iter()
        .all(|d| d.remedy() == Remedy::Additive));

    let after = db.ensure_table(&def).await.unwrap();
    // Billing is reported, never changed by ensure.
    assert_eq!(
        sorted(after.drifts()),
        ["billing is PAY_PER_REQUEST, the definition says PROVISIONED 5/4"]
    );
    assert_eq!(after.drifts()[0].remedy(), Remedy::ReportOnly);
    // The new GSIs are ACTIVE and usable.
    db.put(&crate::table_fixture::order("1", None))
        .await
        .unwrap();
    let found = db
        .query_index(crate::table_fixture::Order::indexes().by_status, "open")
        .all()
        .await
        .unwrap();
    assert_eq!(found.len(), 1);
}

/// A model another version of the application stored in `shop`, with
/// an index of its own.
#[derive(Model, Debug, Clone, PartialEq)]
#[dynamodel(table = "shop", gsi(name = "legacy", hash = region, projection = "keys_only"))]
struct Legacy {
    #[dynamodel(hash_key)]
    pk: String,
    #[dynamodel(range_key)]
    sk: String,
    region: String,
}

#[tokio::test]
async fn an_extra_index_is_reported_and_kept() {
    let db = db("ensure-extra").await;
    let old = TableDef::builder("shop")
        .model::<Customer>()
        .model::<crate::table_fixture::Order>()
        .model::<Product>()
        .model::<Legacy>()
        .billing(dynamodel::table::Billing::provisioned(5, 4))
        .index_throughput("by_status", 3, 2)
        .stream(StreamViewType::NewAndOldImages)
        .build()
        .unwrap();
    db.create_table_from(&old).await.unwrap();
    // Legacy is gone from the definition: its index is not.
    let report = db.ensure_table(&shop()).apply().await.unwrap();
    assert_eq!(
        report.drifts(),
        [Drift::ExtraIndex {
            index: "legacy".into()
        }]
    );
    assert_eq!(report.drifts()[0].remedy(), Remedy::ReportOnly);
    assert!(report.applied().is_empty());
    assert!(snapshot(&db).await.contains("legacy"), "never deleted");
}

/// `shop` with a numeric sort key and `gsi1` projecting everything.
#[derive(Model, Debug, Clone, PartialEq)]
#[dynamodel(
    table = "shop",
    gsi(name = "gsi1", hash = gsi1pk, range = gsi1sk, projection = "all")
)]
struct Rebuilt {
    #[dynamodel(hash_key)]
    pk: String,
    #[dynamodel(range_key)]
    sk: u64,
    gsi1pk: String,
    gsi1sk: String,
    #[dynamodel(ttl)]
    gone: Option<i64>,
}

#[tokio::test]
async fn destructive_drifts_are_refused_before_any_change() {
    let db = db("ensure-destructive").await;
    db.create_table_from(&shop()).await.unwrap();
    let before = snapshot(&db).await;
    let def = TableDef::builder("shop")
        .model::<Rebuilt>()
        .billing(dynamodel::table::Billing::provisioned(5, 4))
        .stream(StreamViewType::KeysOnly)
        .build()
        .unwrap();

    let report = db.ensure_table(&def).await.unwrap();
    let destructive: Vec<String> = sorted(
        &report
            .drifts()
            .iter()
            .filter(|d| d.is_destructive())
            .cloned()
            .collect::<Vec<_>>(),
    );
    assert_eq!(
        destructive,
        [
            "TTL is on `expires`, the definition says `gone`",
            "index `gsi1` projects INCLUDE email, total, the definition says ALL",
            "the stream view is NEW_AND_OLD_IMAGES, the definition says KEYS_ONLY",
            "the table has key pk (S), sk (S), the definition says pk (S), sk (N)",
        ]
    );

    let err = db.ensure_table(&def).apply().await.unwrap_err();
    match &err {
        Error::DestructiveChange { table, changes } => {
            assert_eq!(table, &db.table_name_for("shop"));
            assert_eq!(changes.len(), 4, "{changes:?}");
        }
        other => panic!("expected DestructiveChange, got {other:?}"),
    }
    let text = err.to_string();
    assert!(text.contains("refusing 4 destructive change(s)"), "{text}");
    assert_eq!(snapshot(&db).await, before, "nothing changed");

    // A missing LSI cannot be added to a live table: destructive too.
    let db = dynamodel_tests::db("ensure-lsi").await;
    let no_lsi = TableDef::builder("shop")
        .model::<crate::table_fixture::Order>()
        .build()
        .unwrap();
    db.create_table_from(&no_lsi).await.unwrap();
    let with_lsi = TableDef::builder("shop")
        .model::<crate::table_fixture::Order>()
        .model::<Product>()
        .build()
        .unwrap();
    let err = db.ensure_table(&with_lsi).apply().await.unwrap_err();
    assert!(
        err.to_string()
            .contains("local index `by_updated` is missing"),
        "{err}"
    );
}
