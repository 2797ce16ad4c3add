//! The canonical key bytes the derive generates (`Model::write_canonical_key`
//! and `write_own_canonical_key`, straight from the key's fields) against
//! the default those methods have for a hand-written `Model` impl (through
//! `key_to_item`): the same bytes for every kind of key, the same errors for
//! every key refused, and a slice batch of a hand-written model still
//! refuses a key written twice.

use chrono::{DateTime, Utc};
use dynamodel::{Binary, Error, Item, Model, Number};
use dynamodel_tests::{db_with_table, item_count};

#[derive(Model, Debug, Clone, PartialEq)]
#[dynamodel(table = "canon_users")]
struct User {
    #[dynamodel(hash_key)]
    id: String,
    name: String,
}

#[derive(Model, Debug, Clone, PartialEq)]
#[dynamodel(table = "canon_orders")]
struct Order {
    #[dynamodel(hash_key)]
    user: String,
    #[dynamodel(range_key)]
    number: i64,
}

#[derive(Model, Debug, Clone, PartialEq)]
#[dynamodel(table = "canon_blobs")]
struct Blob {
    #[dynamodel(hash_key)]
    digest: Binary,
    #[dynamodel(range_key)]
    size: Number,
}

#[derive(Model, Debug, Clone, PartialEq)]
#[dynamodel(table = "canon_events")]
struct Event {
    #[dynamodel(hash_key)]
    stream: u32,
    #[dynamodel(range_key, date = "millis")]
    at: DateTime<Utc>,
}

#[derive(Model, Debug, Clone, PartialEq)]
#[dynamodel(
    table = "canon_shop",
    pk = "CUSTOMER#{customer}",
    sk = "ORDER#{placed}#{order}"
)]
struct Purchase {
    customer: String,
    placed: i64,
    order: String,
    total: i64,
}

#[derive(Model, Debug, Clone, PartialEq)]
#[dynamodel(table = "canon_shop", pk = "ACCOUNT#{account}")]
struct Account {
    account: String,
}

#[derive(Model, Debug, Clone, PartialEq)]
#[dynamodel(table = "canon_ids")]
struct Tagged {
    #[dynamodel(hash_key)]
    id: uuid::Uuid,
    #[dynamodel(range_key)]
    seq: ulid::Ulid,
}

#[derive(Model, Debug, Clone, PartialEq)]
#[dynamodel(table = "canon_readings")]
struct Reading {
    #[dynamodel(hash_key, date = "seconds")]
    day: std::time::SystemTime,
    #[dynamodel(range_key)]
    at: time::OffsetDateTime,
}

#[derive(Model, Debug, Clone, PartialEq)]
#[dynamodel(table = "canon_snapshots")]
struct Snapshot {
    #[dynamodel(hash_key)]
    blob: bytes::Bytes,
    #[dynamodel(range_key, date = "iso8601")]
    taken: DateTime<Utc>,
}

#[derive(Model, Debug, Clone, PartialEq)]
#[dynamodel(table = "canon_wide")]
struct Wide {
    #[dynamodel(hash_key)]
    id: u128,
    #[dynamodel(range_key)]
    at: std::time::SystemTime,
}

#[derive(Model, Debug, Clone, PartialEq)]
#[dynamodel(table = "canon_shop", pk = "DAY#{day}", sk = "N#{n}")]
struct Dated {
    day: DateTime<Utc>,
    n: u8,
}

/// A model whose `Model` impl is written by hand, delegating to `M` all but
/// the canonical key methods: those take the trait's default path.
#[derive(Debug, Clone, PartialEq)]
struct HandWritten<M>(M);

impl<M: Model> Model for HandWritten<M> {
    const MODEL_NAME: &'static str = M::MODEL_NAME;
    const TABLE_NAME: &'static str = M::TABLE_NAME;
    type Key = M::Key;
    type Fields = M::Fields;

    fn fields() -> Self::Fields {
        M::fields()
    }
    fn key_schema() -> dynamodel::schema::KeySchema {
        M::key_schema()
    }
    fn index_schemas() -> &'static [dynamodel::schema::IndexSchema] {
        M::index_schemas()
    }
    fn key(&self) -> Self::Key {
        self.0.key()
    }
    fn key_to_item(key: &Self::Key) -> dynamodel::Result<Item> {
        M::key_to_item(key)
    }
    fn to_item(&self) -> dynamodel::Result<Item> {
        let mut item = self.0.to_item()?;
        self.0.write_key_attributes(&mut item)?;
        Ok(item)
    }
    fn from_item(item: Item) -> dynamodel::Result<Self> {
        M::from_item(item).map(HandWritten)
    }
}

/// The canonical key of `item` by each way there is: generated from the
/// key, generated from the item, and the default of a hand-written impl
/// from the key and from the item. All four must agree.
fn all_ways<M: Model + Clone>(item: &M) -> Vec<Result<Vec<u8>, String>> {
    fn run(write: impl FnOnce(&mut Vec<u8>) -> dynamodel::Result<()>) -> Result<Vec<u8>, String> {
        let mut out = b"before".to_vec();
        write(&mut out).map_err(|err| err.to_string())?;
        // Appended to what the buffer held.
        assert_eq!(&out[..6], b"before");
        Ok(out.split_off(6))
    }
    let key = item.key();
    let manual = HandWritten(item.clone());
    vec![
        run(|out| M::write_canonical_key(&key, out)),
        run(|out| item.write_own_canonical_key(out)),
        run(|out| HandWritten::<M>::write_canonical_key(&key, out)),
        run(|out| manual.write_own_canonical_key(out)),
    ]
}

/// The canonical key of `item`, the same by every way (panics otherwise).
fn agreed<M: Model + Clone>(item: &M) -> Result<Vec<u8>, String> {
    let ways = all_ways(item);
    for way in &ways[1..] {
        assert_eq!(way, &ways[0], "every way gives the same answer");
    }
    ways[0].clone()
}

/// The canonical text of one value: its type tag, 4-byte length, bytes.
fn part(tag: u8, bytes: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    out.extend_from_slice(&(bytes.len() as u32).to_be_bytes());
    out.extend_from_slice(bytes);
    out
}

fn at(millis: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(millis).expect("valid")
}

#[test]
fn generated_canonical_keys_are_the_bytes_of_the_key_attributes() {
    let user = User {
        id: "u-1".into(),
        name: "Ada".into(),
    };
    assert_eq!(agreed(&user), Ok(part(b'S', b"u-1")));

    let order = Order {
        user: "u-1".into(),
        number: -42,
    };
    assert_eq!(
        agreed(&order),
        Ok([part(b'S', b"u-1"), part(b'N', b"-42")].concat())
    );

    let blob = Blob {
        digest: Binary::from(vec![0u8, 255, 7]),
        size: "12.50".parse().unwrap(),
    };
    assert_eq!(
        agreed(&blob),
        Ok([part(b'B', &[0, 255, 7]), part(b'N', b"12.5")].concat())
    );

    let event = Event {
        stream: 7,
        at: at(1_700_000_000_123),
    };
    assert_eq!(
        agreed(&event),
        Ok([part(b'N', b"7"), part(b'N', b"1700000000123")].concat())
    );

    let purchase = Purchase {
        customer: "c-1".into(),
        placed: 20,
        order: "o-9".into(),
        total: 5,
    };
    // The numbers in a template are written to sort as text: the bytes are
    // those of the attributes the key converts to.
    let stored = Purchase::key_to_item(&purchase.key()).unwrap();
    let text = |name: &str| stored[name].as_s().unwrap().as_bytes().to_vec();
    assert!(text("sk").starts_with(b"ORDER#") && text("sk").ends_with(b"#o-9"));
    assert_eq!(
        agreed(&purchase),
        Ok([part(b'S', b"CUSTOMER#c-1"), part(b'S', &text("sk"))].concat())
    );

    let account = Account {
        account: "a-1".into(),
    };
    assert_eq!(agreed(&account), Ok(part(b'S', b"ACCOUNT#a-1")));
}

#[test]
fn every_key_type_writes_the_bytes_of_its_stored_attribute() {
    let tagged = Tagged {
        id: uuid::Uuid::from_u128(0x0123_4567_89ab_cdef_0123_4567_89ab_cdef),
        seq: ulid::Ulid::from_parts(1_700_000_000_000, 42),
    };
    assert_eq!(
        agreed(&tagged),
        Ok([
            part(b'S', b"01234567-89ab-cdef-0123-456789abcdef"),
            part(b'S', tagged.seq.to_string().as_bytes()),
        ]
        .concat())
    );

    let second = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_700_000_000);
    let reading = Reading {
        day: second,
        at: time::OffsetDateTime::from_unix_timestamp_nanos(-1_500_000_000).unwrap(),
    };
    assert_eq!(
        agreed(&reading),
        Ok([part(b'N', b"1700000000"), part(b'N', b"-1500")].concat())
    );

    let snapshot = Snapshot {
        blob: bytes::Bytes::from_static(&[1, 2, 3]),
        taken: at(1_700_000_000_123),
    };
    assert_eq!(
        agreed(&snapshot),
        Ok([
            part(b'B', &[1, 2, 3]),
            part(b'S', b"2023-11-14T22:13:20.123Z"),
        ]
        .concat())
    );

    let wide = Wide {
        id: 10u128.pow(37),
        at: second,
    };
    assert_eq!(
        agreed(&wide),
        Ok([
            part(b'N', 10u128.pow(37).to_string().as_bytes()),
            part(b'N', b"1700000000000"),
        ]
        .concat())
    );

    let dated = Dated { day: at(0), n: 7 };
    let stored = Dated::key_to_item(&dated.key()).unwrap();
    let text = |name: &str| stored[name].as_s().unwrap().as_bytes().to_vec();
    assert_eq!(
        agreed(&dated),
        Ok([part(b'S', &text("pk")), part(b'S', &text("sk"))].concat())
    );
}

#[test]
fn every_key_type_refuses_what_its_conversion_refuses() {
    // 39 digits: more than a DynamoDB number holds.
    let refused = agreed(&Wide {
        id: u128::MAX,
        at: std::time::UNIX_EPOCH,
    })
    .unwrap_err();
    assert!(
        refused.contains("Wide.id") && refused.contains("out of range"),
        "{refused}"
    );
    // Finer than the storage (seconds), and finer than millis.
    let refused = agreed(&Reading {
        day: std::time::UNIX_EPOCH + std::time::Duration::from_millis(1),
        at: time::OffsetDateTime::UNIX_EPOCH,
    })
    .unwrap_err();
    assert!(refused.contains("Reading.day"), "{refused}");
    let refused = agreed(&Wide {
        id: 1,
        at: std::time::UNIX_EPOCH + std::time::Duration::from_nanos(1),
    })
    .unwrap_err();
    assert!(refused.contains("Wide.at"), "{refused}");
    // An empty binary key, then a template that cannot be rendered (a year
    // past 9999), both named.
    let refused = agreed(&Snapshot {
        blob: bytes::Bytes::new(),
        taken: at(0),
    })
    .unwrap_err();
    assert!(
        refused.contains("blob (key)") && refused.contains("cannot be empty"),
        "{refused}"
    );
    let far = DateTime::from_timestamp(253_402_300_800, 0).expect("year 10000");
    let refused = agreed(&Dated { day: far, n: 1 }).unwrap_err();
    assert!(
        refused.contains("Dated.pk") && refused.contains("day"),
        "{refused}"
    );
    let refused = agreed(&Snapshot {
        blob: bytes::Bytes::from_static(&[1]),
        taken: far,
    })
    .unwrap_err();
    assert!(refused.contains("Snapshot.taken"), "{refused}");
}

#[test]
fn keys_that_differ_only_at_a_boundary_or_in_type_have_different_canonical_keys() {
    let split = |user: &str, number| Order {
        user: user.into(),
        number,
    };
    assert_ne!(agreed(&split("u-11", 1)), agreed(&split("u-1", 11)));
    let text = Order {
        user: "7".into(),
        number: 1,
    };
    let number = Event {
        stream: 7,
        at: at(1),
    };
    assert_ne!(
        agreed(&text).unwrap()[..6],
        agreed(&number).unwrap()[..6],
        "S and N tags differ"
    );
}

#[test]
fn generated_canonical_keys_refuse_what_the_default_refuses() {
    let empty = User {
        id: String::new(),
        name: "Ada".into(),
    };
    let refused = agreed(&empty).unwrap_err();
    assert!(
        refused.contains("User") && refused.contains("id (key)"),
        "{refused}"
    );
    assert!(refused.contains("cannot be empty"), "{refused}");

    let empty_sort = Order {
        user: "u-1".into(),
        number: 0,
    };
    assert!(agreed(&empty_sort).is_ok(), "0 is a number, not empty");

    let oversized = User {
        id: "x".repeat(2049),
        name: "Ada".into(),
    };
    let refused = agreed(&oversized).unwrap_err();
    assert!(refused.contains("at most 2048 bytes"), "{refused}");
    assert!(
        !refused.contains("xxxx"),
        "no value in the message: {refused}"
    );

    let oversized_sort = Purchase {
        customer: "c-1".into(),
        placed: 1,
        order: "o".repeat(1020),
        total: 0,
    };
    let refused = agreed(&oversized_sort).unwrap_err();
    assert!(
        refused.contains("sk (key)") && refused.contains("at most 1024 bytes"),
        "{refused}"
    );

    let empty_binary = Blob {
        digest: Binary::from(Vec::new()),
        size: "1".parse().unwrap(),
    };
    let refused = agreed(&empty_binary).unwrap_err();
    assert!(refused.contains("digest (key)"), "{refused}");
}

#[tokio::test]
async fn a_slice_batch_of_a_hand_written_model_refuses_a_key_written_twice() {
    let db = db_with_table::<HandWritten<Order>>("canon_hand_written").await;
    let orders: Vec<_> = [("u-1", 1), ("u-1", 2), ("u-2", 1), ("u-1", 2)]
        .into_iter()
        .map(|(user, number)| {
            HandWritten(Order {
                user: user.into(),
                number,
            })
        })
        .collect();
    let err = db.batch_put(&orders).await.unwrap_err();
    match &err {
        Error::Item { index, source, .. } => {
            assert_eq!(*index, 3);
            assert!(source.to_string().contains("item #1"), "{source}");
        }
        other => panic!("expected the duplicate refused, got {other:?}"),
    }
    assert_eq!(item_count::<HandWritten<Order>>(&db).await, 0);
    db.batch_put(&orders[..3]).await.unwrap();
    assert_eq!(item_count::<HandWritten<Order>>(&db).await, 3);
}
