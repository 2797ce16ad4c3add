//! Float number sets (feature `ordered-float`): `HashSet<NotNan<f64>>` and
//! `BTreeSet<OrderedFloat<f32>>` are stored as DynamoDB number sets, take
//! set updates and `contains`, and what DynamoDB cannot store is refused
//! before sending.

use std::collections::{BTreeSet, HashSet};

use dynamodel::{AttributeValue, Error, Model};
use dynamodel_tests::{db_with_table, raw_item};
use ordered_float::{NotNan, OrderedFloat};

#[derive(Model, Debug, Clone, PartialEq)]
#[dynamodel(table = "float_sets")]
struct Sensor {
    #[dynamodel(hash_key)]
    id: String,
    readings: HashSet<NotNan<f64>>,
    thresholds: BTreeSet<OrderedFloat<f32>>,
}

fn floats(values: &[f64]) -> HashSet<NotNan<f64>> {
    values.iter().map(|&f| NotNan::new(f).unwrap()).collect()
}

fn stored_numbers(item: &dynamodel::Item, name: &str) -> Vec<String> {
    match item.get(name) {
        Some(AttributeValue::Ns(items)) => {
            let mut items = items.clone();
            items.sort();
            items
        }
        other => panic!("{name}: expected a number set, got {other:?}"),
    }
}

#[tokio::test]
async fn float_sets_round_trip_as_number_sets_and_take_set_updates() {
    let db = db_with_table::<Sensor>("float_sets_round_trip").await;
    let sensor = Sensor {
        id: "s1".into(),
        readings: floats(&[0.5, -1.25, 3.0]),
        thresholds: [0.1f32, 9.5].into_iter().map(OrderedFloat).collect(),
    };
    db.put(&sensor).await.unwrap();
    let raw = raw_item::<Sensor>(&db, &"s1".to_string()).await.unwrap();
    assert_eq!(stored_numbers(&raw, "readings"), ["-1.25", "0.5", "3"]);
    assert_eq!(stored_numbers(&raw, "thresholds"), ["0.1", "9.5"]);
    assert_eq!(db.get::<Sensor>("s1").await.unwrap(), Some(sensor));

    let f = Sensor::fields();
    db.update::<Sensor>("s1")
        .add(&f.readings, floats(&[7.75]))
        .condition(f.readings.contains(NotNan::new(3.0).unwrap()))
        .await
        .unwrap();
    // DynamoDB refuses ADD and DELETE of one path in one update.
    db.update::<Sensor>("s1")
        .delete(&f.readings, floats(&[0.5]))
        .await
        .unwrap();
    let read = db.get::<Sensor>("s1").await.unwrap().unwrap();
    assert_eq!(read.readings, floats(&[-1.25, 3.0, 7.75]));

    // The condition is evaluated: an element not in the set fails it.
    let err = db
        .update::<Sensor>("s1")
        .add(&f.readings, floats(&[1.0]))
        .condition(f.readings.contains(NotNan::new(0.5).unwrap()))
        .await
        .unwrap_err();
    assert!(err.is_conditional_check_failed(), "{err}");
}

#[tokio::test]
async fn infinities_and_nan_are_refused_before_sending_naming_the_attribute() {
    let db = db_with_table::<Sensor>("float_sets_refused").await;
    let sensor = Sensor {
        id: "s2".into(),
        readings: floats(&[1.0, f64::INFINITY]),
        thresholds: BTreeSet::new(),
    };
    let err = db.put(&sensor).await.unwrap_err();
    let message = err.to_string();
    assert!(
        message.contains("Sensor") && message.contains("readings"),
        "{message}"
    );
    assert!(
        !matches!(err, Error::Sdk { .. }),
        "refused before sending: {err:?}"
    );
    let nan = Sensor {
        id: "s2".into(),
        readings: HashSet::new(),
        thresholds: [OrderedFloat(f32::NAN)].into(),
    };
    let message = db.put(&nan).await.unwrap_err().to_string();
    assert!(message.contains("thresholds"), "{message}");
    assert_eq!(
        raw_item::<Sensor>(&db, &"s2".to_string()).await,
        None,
        "nothing written"
    );
}
