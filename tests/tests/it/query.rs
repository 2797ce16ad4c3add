//! Query and scan: sort-key operators, filters over multi-page results,
//! cursors, fill-to-N, indexes (GSI, LSI, sparse), automatic index choice
//! and parallel scans.

use std::collections::BTreeSet;

use aws_sdk_dynamodb::types::{PutRequest, WriteRequest};
use dynamodel::{AttributeValue, Db, Error, Model};
use dynamodel_tests::db_with_table;
use futures::{StreamExt, TryStreamExt};

#[derive(Model, Debug, Clone, PartialEq)]
#[dynamodel(
    table = "events",
    gsi(name = "by_email", hash = email, range = created, projection = "all"),
    gsi(name = "by_email_score", hash = email, range = score, projection = "keys_only"),
    gsi(name = "by-tag", hash = tag, projection = include(score)),
    lsi(name = "by_score", range = score, projection = "keys_only")
)]
struct Event {
    #[dynamodel(hash_key)]
    pk: String,
    #[dynamodel(range_key)]
    sk: u64,
    email: String,
    created: u64,
    /// Only some events are tagged: `by-tag` is a sparse index.
    tag: Option<String>,
    score: u32,
    pad: String,
}

/// A projection of [`Event`]: only its keys and score.
#[derive(Model, Debug, Clone, PartialEq)]
#[dynamodel(table = "events", projection_of = Event)]
struct EventScore {
    #[dynamodel(hash_key)]
    pk: String,
    #[dynamodel(range_key)]
    sk: u64,
    score: u32,
}

#[derive(Model, Debug, Clone, PartialEq)]
#[dynamodel(table = "docs")]
struct Doc {
    #[dynamodel(hash_key)]
    owner: String,
    #[dynamodel(range_key)]
    path: String,
}

#[derive(Model, Debug, Clone, PartialEq)]
#[dynamodel(table = "things")]
struct Thing {
    #[dynamodel(hash_key)]
    id: u64,
    #[dynamodel(rename = "status")]
    state: String,
}

fn event(pk: &str, sk: u64) -> Event {
    Event {
        pk: pk.into(),
        sk,
        email: format!("user{}@example.com", sk % 3),
        created: 1_000 + sk,
        tag: sk.is_multiple_of(4).then(|| format!("t{}", sk % 8)),
        score: (sk % 10) as u32,
        pad: String::new(),
    }
}

/// Writes `items` with concurrent raw BatchWriteItem calls of 25, retrying leftovers.
async fn write_all<M: Model>(db: &Db, items: Vec<M>) {
    let table = db.table_name::<M>();
    let requests: Vec<WriteRequest> = items
        .iter()
        .map(|m| {
            let put = PutRequest::builder()
                .set_item(Some(m.to_item().unwrap()))
                .build()
                .unwrap();
            WriteRequest::builder().put_request(put).build()
        })
        .collect();
    let chunks: Vec<Vec<WriteRequest>> = requests.chunks(25).map(<[_]>::to_vec).collect();
    futures::stream::iter(chunks)
        .map(|chunk| {
            let table = table.clone();
            async move {
                let mut pending = chunk;
                loop {
                    let out = db
                        .client()
                        .batch_write_item()
                        .request_items(&table, pending)
                        .send()
                        .await
                        .unwrap();
                    match out.unprocessed_items.and_then(|mut m| m.remove(&table)) {
                        Some(rest) if !rest.is_empty() => pending = rest,
                        _ => break,
                    }
                }
            }
        })
        .buffer_unordered(8)
        .collect::<Vec<()>>()
        .await;
}

fn sks(events: &[Event]) -> Vec<u64> {
    events.iter().map(|e| e.sk).collect()
}

#[tokio::test]
async fn every_sort_key_operator_and_order() {
    let db = db_with_table::<Event>("q_sort_ops").await;
    write_all(&db, (0..20).map(|i| event("p", i)).collect()).await;
    write_all(&db, (0..5).map(|i| event("other", i)).collect()).await;

    let q = || db.query::<Event>("p");
    assert_eq!(sks(&q().all().await.unwrap()), (0..20).collect::<Vec<_>>());
    assert_eq!(sks(&q().sort_eq(7u64).all().await.unwrap()), vec![7]);
    assert_eq!(sks(&q().sort_lt(3u64).all().await.unwrap()), vec![0, 1, 2]);
    assert_eq!(
        sks(&q().sort_le(3u64).all().await.unwrap()),
        vec![0, 1, 2, 3]
    );
    assert_eq!(sks(&q().sort_gt(17u64).all().await.unwrap()), vec![18, 19]);
    assert_eq!(
        sks(&q().sort_ge(17u64).all().await.unwrap()),
        vec![17, 18, 19]
    );
    assert_eq!(
        sks(&q().sort_between(5u64, 8u64).all().await.unwrap()),
        vec![5, 6, 7, 8]
    );
    assert_eq!(
        sks(&q().sort_ge(15u64).descending().all().await.unwrap()),
        vec![19, 18, 17, 16, 15]
    );
    assert_eq!(q().sort_lt(10u64).count().await.unwrap(), 10);
    assert_eq!(q().all_max(4).await.unwrap().len(), 4);

    let db = db_with_table::<Doc>("q_begins").await;
    for path in ["a/1", "a/2", "ab", "b/1", "a"] {
        db.put(&Doc {
            owner: "o".into(),
            path: path.into(),
        })
        .await
        .unwrap();
    }
    let paths: Vec<String> = db
        .query::<Doc>("o")
        .sort_begins_with("a/")
        .all()
        .await
        .unwrap()
        .into_iter()
        .map(|d| d.path)
        .collect();
    assert_eq!(paths, vec!["a/1", "a/2"]);
}

#[tokio::test]
async fn filters_over_pages_of_one_megabyte() {
    let db = db_with_table::<Event>("q_big_pages").await;
    // 30 items of ~100 KB: about 3 MB, so DynamoDB needs several 1 MB pages.
    let items: Vec<Event> = (0..30)
        .map(|i| Event {
            pad: "x".repeat(100_000),
            ..event("big", i)
        })
        .collect();
    write_all(&db, items).await;
    let even = || Event::fields().score.is_in([0u32, 2, 4, 6, 8]);

    let first = db
        .query::<Event>("big")
        .filter(even())
        .page()
        .await
        .unwrap();
    assert!(
        first.cursor.is_some(),
        "1 MB pages: the first page is not the last"
    );
    assert!(first.items.len() < 15);

    let all = db.query::<Event>("big").filter(even()).all().await.unwrap();
    assert_eq!(
        sks(&all),
        (0u64..30)
            .filter(|i| i.is_multiple_of(2))
            .collect::<Vec<_>>()
    );
    assert!(all.iter().all(|e| e.pad.len() == 100_000));

    // Small pages: some come back empty with a cursor, none lose an item.
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    let mut pages = 0;
    loop {
        let mut q = db.query::<Event>("big").filter(even()).limit(3);
        if let Some(c) = cursor.take() {
            q = q.start_from(c);
        }
        let page = q.page().await.unwrap();
        pages += 1;
        seen.extend(sks(&page.items));
        match page.cursor {
            Some(c) => cursor = Some(c),
            None => break,
        }
    }
    assert!(pages >= 10);
    assert_eq!(seen, sks(&all));
    assert_eq!(
        db.query::<Event>("big")
            .filter(even())
            .count()
            .await
            .unwrap(),
        15
    );
}

#[tokio::test]
async fn cursor_round_trip_over_5000_items_in_pages_of_37() {
    let db = db_with_table::<Event>("q_cursor_5000").await;
    write_all(&db, (0..5000).map(|i| event("p", i)).collect()).await;
    write_all(&db, (0..50).map(|i| event("q", i)).collect()).await;

    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut q = db.query::<Event>("p").limit(37);
        if let Some(c) = cursor.take() {
            // Cursors are handed to HTTP clients: URL-safe as they are.
            assert!(c
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
            q = q.start_from(c);
        }
        let page = q.page().await.unwrap();
        assert!(page.items.len() <= 37);
        seen.extend(sks(&page.items));
        match page.cursor {
            Some(c) => cursor = Some(c),
            None => break,
        }
    }
    assert_eq!(
        seen,
        (0..5000).collect::<Vec<_>>(),
        "no duplicates, no gaps, in order"
    );
    assert_eq!(db.query::<Event>("p").count().await.unwrap(), 5000);

    let streamed: Vec<Event> = db
        .query::<Event>("p")
        .limit(500)
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(streamed.len(), 5000);
}

#[tokio::test]
async fn fill_returns_n_passing_items_and_resumes_after_the_last_one() {
    let db = db_with_table::<Event>("q_fill").await;
    write_all(&db, (0..300).map(|i| event("p", i)).collect()).await;
    // score = sk % 10: one item in ten passes.
    let selective = || Event::fields().score.eq(3u32);
    let expected: Vec<u64> = (0..300).filter(|i| i % 10 == 3).collect();

    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    let mut fills = 0;
    loop {
        let mut q = db.query::<Event>("p").filter(selective()).limit(25);
        if let Some(c) = cursor.take() {
            q = q.start_from(c);
        }
        let page = q.fill(7).await.unwrap();
        fills += 1;
        seen.extend(sks(&page.items));
        match page.cursor {
            Some(c) => {
                assert_eq!(page.items.len(), 7, "a page with a cursor is full");
                cursor = Some(c);
            }
            None => break,
        }
    }
    assert_eq!(seen, expected);
    assert_eq!(fills, 5, "30 items in fills of 7: 7+7+7+7+2");

    // A fill that ends mid-page resumes right after its last item.
    let page = db
        .query::<Event>("p")
        .filter(selective())
        .fill(2)
        .await
        .unwrap();
    assert_eq!(sks(&page.items), vec![3, 13]);
    let rest = db
        .query::<Event>("p")
        .filter(selective())
        .start_from(page.cursor.unwrap())
        .fill(1)
        .await
        .unwrap();
    assert_eq!(sks(&rest.items), vec![23]);
}

#[tokio::test]
async fn altered_and_foreign_cursors_are_refused() {
    let db = db_with_table::<Event>("q_bad_cursor").await;
    write_all(&db, (0..10).map(|i| event("p", i)).collect()).await;
    let cursor = db
        .query::<Event>("p")
        .limit(3)
        .page()
        .await
        .unwrap()
        .cursor
        .unwrap();

    // Resuming with the genuine cursor works.
    let next = db
        .query::<Event>("p")
        .limit(3)
        .start_from(cursor.clone())
        .page()
        .await
        .unwrap();
    assert_eq!(sks(&next.items), vec![3, 4, 5]);

    // Any altered character is refused.
    let mut bytes = cursor.clone().into_bytes();
    let mid = bytes.len() / 2;
    bytes[mid] = if bytes[mid] == b'A' { b'B' } else { b'A' };
    let altered = String::from_utf8(bytes).unwrap();
    let err = db
        .query::<Event>("p")
        .start_from(altered)
        .page()
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::InvalidCursor { model: "Event", .. }),
        "{err}"
    );
    for garbage in ["", "not base64!", "AAAA"] {
        let err = db
            .query::<Event>("p")
            .start_from(garbage)
            .page()
            .await
            .unwrap_err();
        assert!(err.is_invalid_cursor(), "{garbage:?}: {err}");
    }

    // Another partition, another index, a scan, another table or model.
    let err = db
        .query::<Event>("q")
        .start_from(cursor.clone())
        .page()
        .await
        .unwrap_err();
    assert!(err.is_invalid_cursor(), "{err}");
    let err = db
        .query_index(Event::indexes().by_score, "p")
        .start_from(cursor.clone())
        .page()
        .await
        .unwrap_err();
    assert!(err.is_invalid_cursor(), "{err}");
    let err = db
        .scan::<Event>()
        .start_from(cursor.clone())
        .page()
        .await
        .unwrap_err();
    assert!(err.is_invalid_cursor(), "{err}");
    let other = db.clone().with_table_prefix("elsewhere-");
    let err = other
        .query::<Event>("p")
        .start_from(cursor.clone())
        .page()
        .await
        .unwrap_err();
    assert!(err.is_invalid_cursor(), "{err}");
    let err = db
        .query::<EventScore>("p")
        .start_from(cursor.clone())
        .page()
        .await
        .unwrap_err();
    assert!(err.is_invalid_cursor(), "{err}");

    // With a secret, default-key cursors are refused and own cursors work.
    let secret = db.clone().with_cursor_secret("k3y");
    let err = secret
        .query::<Event>("p")
        .start_from(cursor)
        .page()
        .await
        .unwrap_err();
    assert!(err.is_invalid_cursor(), "{err}");
    let signed = secret
        .query::<Event>("p")
        .limit(3)
        .page()
        .await
        .unwrap()
        .cursor
        .unwrap();
    let next = secret
        .query::<Event>("p")
        .start_from(signed)
        .limit(3)
        .page()
        .await
        .unwrap();
    assert_eq!(sks(&next.items), vec![3, 4, 5]);
    assert!(!format!("{err}").contains("k3y"));
}

#[tokio::test]
async fn global_local_and_sparse_indexes() {
    let db = db_with_table::<Event>("q_indexes").await;
    write_all(&db, (0..40).map(|i| event("p", i)).collect()).await;
    write_all(&db, (0..40).map(|i| event("r", i)).collect()).await;

    // GSI with a typed sort-key condition.
    let by_email = db
        .query_index(Event::indexes().by_email, "user1@example.com")
        .sort_lt(1_010u64)
        .all()
        .await
        .unwrap();
    let mut got: Vec<(String, u64)> = by_email.iter().map(|e| (e.pk.clone(), e.sk)).collect();
    got.sort();
    let mut want: Vec<(String, u64)> = ["p", "r"]
        .iter()
        .flat_map(|pk| [1u64, 4, 7].map(|sk| (pk.to_string(), sk)))
        .collect();
    want.sort();
    assert_eq!(got, want);

    // Sparse GSI: only tagged items are in it.
    let tagged = db
        .scan::<Event>()
        .index(Event::indexes().by_tag)
        .project::<EventScore>()
        .all()
        .await
        .unwrap();
    assert_eq!(tagged.len(), 20, "10 tagged items per partition");
    let t0 = db
        .query_index(Event::indexes().by_tag, "t0")
        .project::<EventScore>()
        .all()
        .await
        .unwrap();
    let mut t0: Vec<u64> = t0.iter().filter(|e| e.pk == "p").map(|e| e.sk).collect();
    t0.sort();
    assert_eq!(t0, vec![0, 8, 16, 24, 32]);

    // LSI (keys only): ordered by score within the partition, projected.
    let lsi = db
        .query_index(Event::indexes().by_score, "p")
        .sort_eq(9u32)
        .consistent()
        .project::<EventScore>()
        .all()
        .await
        .unwrap();
    let mut lsi_sks: Vec<u64> = lsi.iter().map(|e| e.sk).collect();
    lsi_sks.sort();
    assert_eq!(lsi_sks, vec![9, 19, 29, 39]);
    assert!(lsi.iter().all(|e| e.score == 9));
    // The full model needs attributes a keys-only index does not hold: a clear
    // error per item, or the first one when strict.
    let page = db
        .query_index(Event::indexes().by_score, "p")
        .limit(5)
        .page()
        .await
        .unwrap();
    assert!(page.items.is_empty());
    assert_eq!(page.errors.len(), 5);
    assert!(page.errors.iter().all(|e| e.to_string().contains("email")));
    let err = db
        .query_index(Event::indexes().by_score, "p")
        .strict()
        .page()
        .await
        .unwrap_err();
    assert!(err.is_conversion(), "{err}");

    // Cursors over an index resume without gaps.
    let mut seen = BTreeSet::new();
    let mut cursor = None;
    loop {
        let mut q = db
            .query_index(Event::indexes().by_email, "user0@example.com")
            .limit(4);
        if let Some(c) = cursor.take() {
            q = q.start_from(c);
        }
        let page = q.page().await.unwrap();
        for e in page.items {
            assert!(seen.insert((e.pk, e.sk)));
        }
        match page.cursor {
            Some(c) => cursor = Some(c),
            None => break,
        }
    }
    assert_eq!(seen.len(), 28);

    // Consistent reads on a GSI are refused before sending.
    let err = db
        .query_index(Event::indexes().by_email, "x")
        .consistent()
        .page()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidRequest { .. }), "{err}");
}

#[tokio::test]
async fn automatic_index_choice_and_refusal() {
    let db = db_with_table::<Event>("q_auto").await;
    write_all(&db, (0..30).map(|i| event("p", i)).collect()).await;
    let f = Event::fields();

    // Partition key of the table only: the table.
    let all = db.query_by(f.pk.eq("p")).all().await.unwrap();
    assert_eq!(all.len(), 30);
    // Table partition key + LSI sort key: the LSI, the rest as a filter.
    let scored = db
        .query_by(f.pk.eq("p").and(f.score.eq(2u32)))
        .project::<EventScore>()
        .all()
        .await
        .unwrap();
    assert_eq!(
        scored.iter().map(|e| e.sk).collect::<Vec<_>>(),
        vec![2, 12, 22]
    );
    // email + created: `by_email`, whose sort key is `created`; the rest filters.
    let picked = db
        .query_by(
            f.email
                .eq("user2@example.com")
                .and(f.created.ge(1_010u64))
                .and(f.score.ne(0u32)),
        )
        .all()
        .await
        .unwrap();
    let mut picked = sks(&picked);
    picked.sort();
    assert_eq!(picked, vec![11, 14, 17, 23, 26, 29]);

    // Two indexes have `email` as partition key and nothing tells them apart.
    let err = db
        .query_by(f.email.eq("user2@example.com"))
        .page()
        .await
        .unwrap_err();
    match &err {
        Error::IndexChoice { candidates, .. } => {
            assert_eq!(candidates.len(), 2, "{err}");
            assert!(candidates.iter().any(|c| c.starts_with("by_email(")));
            assert!(candidates.iter().any(|c| c.starts_with("by_email_score(")));
        }
        other => panic!("expected IndexChoice, got {other}"),
    }
    // No partition key compared with `=`: refused, never a scan.
    let err = db.query_by(f.score.eq(1u32)).all().await.unwrap_err();
    assert!(matches!(err, Error::IndexChoice { .. }), "{err}");
    assert!(format!("{err}").contains("table(pk, sk)"), "{err}");
    let err = db.query_by(f.pk.gt("a")).all().await.unwrap_err();
    assert!(matches!(err, Error::IndexChoice { .. }), "{err}");
}

#[tokio::test]
async fn parallel_scan_sees_each_of_10000_items_once() {
    let db = db_with_table::<Thing>("q_parallel").await;
    let items: Vec<Thing> = (0..10_000)
        .map(|i| Thing {
            id: i,
            state: if i.is_multiple_of(3) {
                "a".into()
            } else {
                "b".into()
            },
        })
        .collect();
    write_all(&db, items).await;

    let all = db.scan::<Thing>().segments(4).all().await.unwrap();
    assert_eq!(all.len(), 10_000);
    let ids: BTreeSet<u64> = all.iter().map(|t| t.id).collect();
    assert_eq!(ids.len(), 10_000, "no item twice");
    assert_eq!(ids, (0..10_000).collect::<BTreeSet<_>>());

    // Filter ("status" is a reserved word) and count over the segments.
    let filtered = db
        .scan::<Thing>()
        .filter(Thing::fields().state.eq("a"))
        .segments(4)
        .count()
        .await
        .unwrap();
    assert_eq!(filtered, 3334);

    // One segment paged by cursor.
    let mut seen = BTreeSet::new();
    for segment in 0..2 {
        let mut cursor = None;
        loop {
            let mut scan = db.scan::<Thing>().segment(segment, 2).limit(1000);
            if let Some(c) = cursor.take() {
                scan = scan.start_from(c);
            }
            let page = scan.page().await.unwrap();
            for t in page.items {
                assert!(seen.insert(t.id));
            }
            match page.cursor {
                Some(c) => cursor = Some(c),
                None => break,
            }
        }
    }
    assert_eq!(seen.len(), 10_000);
    let err = db.scan::<Thing>().segments(4).page().await.unwrap_err();
    assert!(matches!(err, Error::InvalidRequest { .. }), "{err}");
}

/// Overwrites the stored items at `sks` of partition `pk` with items whose
/// `pad` is a number: items [`Event`] cannot decode.
async fn write_bad_events(db: &Db, pk: &str, sks: &[u64]) {
    for &sk in sks {
        let mut item = event(pk, sk).to_item().unwrap();
        item.insert("pad".into(), AttributeValue::N(BAD_VALUE.into()));
        db.client()
            .put_item()
            .table_name(db.table_name::<Event>())
            .set_item(Some(item))
            .send()
            .await
            .unwrap();
    }
}

/// The stored value of the bad items, which no message may show.
const BAD_VALUE: &str = "8675309";

/// The position an item error reports, after checking it is the decode
/// error of `pad` from `operation` and shows no stored value.
fn bad_position(error: &Error, operation: &str, pk: &str) -> usize {
    let text = format!("{error} {error:?}");
    assert!(
        !text.contains(pk) && !text.contains("not a number"),
        "{text}"
    );
    match error {
        Error::Item {
            operation: op,
            index,
            source,
        } => {
            assert_eq!(*op, operation);
            assert!(
                matches!(&**source, Error::Decode { model: "Event", attribute, .. } if attribute == "pad"),
                "{source}"
            );
            *index
        }
        other => panic!("expected an item error, got {other}"),
    }
}

#[tokio::test]
async fn pages_and_fills_survive_bad_items_and_report_each_once() {
    let db = db_with_table::<Event>("q_bad_items").await;
    let pk = "pk-sentinel-8a1f";
    write_all(&db, (0..30).map(|i| event(pk, i)).collect()).await;
    let bad: BTreeSet<u64> = [0, 5, 12, 13, 29].into();
    write_bad_events(&db, pk, &bad.iter().copied().collect::<Vec<_>>()).await;
    let good: Vec<u64> = (0..30).filter(|i| !bad.contains(i)).collect();

    // Pages of 4: the items of page k are sk 4k..4k+4, so a position names an sk.
    let (mut seen, mut reported) = (Vec::new(), Vec::new());
    let mut cursor: Option<String> = None;
    for k in 0.. {
        assert!(k < 20, "the cursor reaches the end");
        let mut q = db.query::<Event>(pk).limit(4);
        if let Some(c) = cursor.take() {
            q = q.start_from(c);
        }
        let page = q.page().await.unwrap();
        seen.extend(sks(&page.items));
        for error in &page.errors {
            reported.push(4 * k as u64 + bad_position(error, "Query", pk) as u64);
        }
        match page.cursor {
            Some(c) => cursor = Some(c),
            None => break,
        }
    }
    assert_eq!(seen, good, "every good item once, in order");
    assert_eq!(reported, bad.iter().copied().collect::<Vec<_>>());

    // Fills of 4 good items: a fill starts right after the last item returned,
    // so a position counts from there.
    let (mut seen, mut reported) = (Vec::<u64>::new(), Vec::new());
    let mut cursor: Option<String> = None;
    for k in 0.. {
        assert!(k < 20, "the cursor reaches the end");
        let start = seen.last().map_or(0, |last| last + 1);
        let mut q = db.query::<Event>(pk).limit(3);
        if let Some(c) = cursor.take() {
            q = q.start_from(c);
        }
        let page = q.fill(4).await.unwrap();
        seen.extend(sks(&page.items));
        for error in &page.errors {
            reported.push(start + bad_position(error, "Query", pk) as u64);
        }
        match page.cursor {
            Some(c) => {
                assert_eq!(page.items.len(), 4, "a fill with a cursor is full");
                cursor = Some(c);
            }
            None => break,
        }
    }
    assert_eq!(seen, good);
    assert_eq!(reported, bad.iter().copied().collect::<Vec<_>>());

    // A scan reports them too.
    let (mut seen, mut errors) = (BTreeSet::new(), 0);
    let mut cursor: Option<String> = None;
    loop {
        let mut q = db.scan::<Event>().limit(7);
        if let Some(c) = cursor.take() {
            q = q.start_from(c);
        }
        let page = q.page().await.unwrap();
        seen.extend(sks(&page.items));
        for error in &page.errors {
            bad_position(error, "Scan", pk);
            errors += 1;
        }
        match page.cursor {
            Some(c) => cursor = Some(c),
            None => break,
        }
    }
    assert_eq!(seen, good.iter().copied().collect());
    assert_eq!(errors, bad.len());

    // A stream yields an error per bad item and goes on; `.all()` stops at the first.
    let streamed: Vec<Result<Event, Error>> =
        db.query::<Event>(pk).limit(4).stream().collect().await;
    assert_eq!(streamed.iter().filter(|r| r.is_err()).count(), bad.len());
    let ok: Vec<u64> = streamed.iter().flatten().map(|e| e.sk).collect();
    assert_eq!(ok, good);
    assert!(db
        .query::<Event>(pk)
        .all()
        .await
        .unwrap_err()
        .is_conversion());
}

#[tokio::test]
async fn strict_reads_fail_on_the_first_bad_item() {
    let db = db_with_table::<Event>("q_strict").await;
    write_all(&db, (0..10).map(|i| event("p", i)).collect()).await;
    write_bad_events(&db, "p", &[3, 7]).await;
    let strict = || db.query::<Event>("p").strict();
    let decode = |e: Error| matches!(e, Error::Decode { model: "Event", .. });
    assert!(decode(strict().page().await.unwrap_err()));
    assert!(decode(strict().limit(2).fill(5).await.unwrap_err()));
    assert!(decode(
        db.scan::<Event>().strict().page().await.unwrap_err()
    ));
    // The bad item's page fails; the pages before it do not.
    let first = strict().limit(3).page().await.unwrap();
    assert_eq!(sks(&first.items), vec![0, 1, 2]);
    assert!(first.errors.is_empty());
    // A strict stream ends with the first error.
    let streamed: Vec<Result<Event, Error>> = strict().limit(2).stream().collect().await;
    assert_eq!(streamed.len(), 4);
    assert!(streamed[..3].iter().all(Result::is_ok));
    assert!(decode(streamed.into_iter().last().unwrap().unwrap_err()));
}

#[tokio::test]
async fn all_reads_page_after_page_stops_at_max_and_fails_on_a_bad_item() {
    let db = db_with_table::<Event>("q_all_pages").await;
    write_all(&db, (0..20).map(|i| event("p", i)).collect()).await;
    // Pages of 5: `all` follows every cursor, `all_max` sends no request
    // once it has its items.
    let read = |meter: &dynamodel::ops::Meter| db.query::<Event>("p").limit(5).meter(meter);
    let requests = |meter: &dynamodel::ops::Meter| meter.requests();
    let meter = dynamodel::ops::Meter::new();
    assert_eq!(
        sks(&read(&meter).all().await.unwrap()),
        (0..20).collect::<Vec<_>>()
    );
    assert!(requests(&meter) >= 4, "{}", requests(&meter));
    for (max, pages) in [(0, 0), (5, 1), (7, 2), (10, 2), (11, 3)] {
        let meter = dynamodel::ops::Meter::new();
        let items = read(&meter).all_max(max).await.unwrap();
        assert_eq!(sks(&items), (0..max as u64).collect::<Vec<_>>());
        assert_eq!(requests(&meter), pages, "all_max({max})");
    }
    let scanned = db.scan::<Event>().limit(3).all().await.unwrap();
    assert_eq!(scanned.len(), 20);

    // A bad item on the third page fails `all`, not the items before it.
    write_bad_events(&db, "p", &[12]).await;
    let error = db.query::<Event>("p").limit(5).all().await.unwrap_err();
    assert!(
        matches!(error, Error::Decode { model: "Event", .. }),
        "{error}"
    );
    let before = db.query::<Event>("p").limit(5).all_max(12).await.unwrap();
    assert_eq!(sks(&before), (0..12).collect::<Vec<_>>());
    assert!(db.scan::<Event>().limit(5).all().await.is_err());
}

#[tokio::test]
async fn cursors_are_bound_to_the_sort_direction_and_key_condition() {
    let db = db_with_table::<Event>("q_cursor_binding").await;
    write_all(&db, (0..20).map(|i| event("p", i)).collect()).await;
    let ascending = db.query::<Event>("p").limit(5).page().await.unwrap();
    let cursor = ascending.cursor.unwrap();
    let err = db
        .query::<Event>("p")
        .descending()
        .start_from(cursor.clone())
        .page()
        .await
        .unwrap_err();
    assert!(err.is_invalid_cursor(), "{err}");

    // Descending cursors resume descending pages.
    let first = db
        .query::<Event>("p")
        .descending()
        .limit(5)
        .page()
        .await
        .unwrap();
    let next = db
        .query::<Event>("p")
        .descending()
        .limit(5)
        .start_from(first.cursor.clone().unwrap())
        .page()
        .await
        .unwrap();
    assert_eq!(sks(&next.items), vec![14, 13, 12, 11, 10]);
    let err = db
        .query::<Event>("p")
        .start_from(first.cursor.unwrap())
        .page()
        .await
        .unwrap_err();
    assert!(err.is_invalid_cursor(), "{err}");

    // The sort-key condition, operator and values, is bound.
    let cursor = db
        .query::<Event>("p")
        .sort_gt(2u64)
        .limit(3)
        .page()
        .await
        .unwrap()
        .cursor
        .unwrap();
    let resumed = db
        .query::<Event>("p")
        .sort_gt(2u64)
        .limit(3)
        .start_from(cursor.clone())
        .page()
        .await
        .unwrap();
    assert_eq!(sks(&resumed.items), vec![6, 7, 8]);
    let others = [
        db.query::<Event>("p"),
        db.query::<Event>("p").sort_gt(3u64),
        db.query::<Event>("p").sort_ge(2u64),
        db.query::<Event>("p").sort_between(2u64, 19u64),
        db.query::<Event>("p").sort_lt(2u64),
    ];
    for (i, query) in others.into_iter().enumerate() {
        let err = query.start_from(cursor.clone()).page().await.unwrap_err();
        assert!(err.is_invalid_cursor(), "query {i}: {err}");
    }
    // The filter is not: it does not move where a read resumes.
    let filtered = db
        .query::<Event>("p")
        .sort_gt(2u64)
        .filter(Event::fields().score.ge(7u32))
        .start_from(cursor)
        .page()
        .await
        .unwrap();
    assert_eq!(sks(&filtered.items), vec![7, 8, 9, 17, 18, 19]);
}

#[tokio::test]
async fn cursors_under_a_secret_hide_the_key_and_refuse_tampering() {
    use base64::Engine as _;
    let db = db_with_table::<Event>("q_sealed").await;
    let pk = "ada.lovelace@example.com";
    write_all(&db, (0..10).map(|i| event(pk, i)).collect()).await;
    let raw = |cursor: &str| {
        base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(cursor)
            .unwrap()
    };
    let contains =
        |bytes: &[u8], text: &str| bytes.windows(text.len()).any(|w| w == text.as_bytes());

    // Without a secret the key is readable (integrity only, as documented).
    let plain = db
        .query::<Event>(pk)
        .limit(3)
        .page()
        .await
        .unwrap()
        .cursor
        .unwrap();
    assert!(contains(&raw(&plain), pk));

    let sealed_db = db
        .clone()
        .with_cursor_secret("a secret of thirty-two bytes....");
    let sealed = sealed_db
        .query::<Event>(pk)
        .limit(3)
        .page()
        .await
        .unwrap()
        .cursor
        .unwrap();
    let bytes = raw(&sealed);
    for needle in [pk, "ada", "lovelace", "example", "pk", "sk"] {
        assert!(
            !contains(&bytes, needle),
            "{needle} is readable in the cursor"
        );
    }
    let next = sealed_db
        .query::<Event>(pk)
        .limit(3)
        .start_from(sealed.clone())
        .page()
        .await
        .unwrap();
    assert_eq!(sks(&next.items), vec![3, 4, 5]);

    // Tampered, under another secret, or without the secret: refused.
    let mut tampered = bytes.clone();
    let last = tampered.len() - 1;
    tampered[last] ^= 0x80;
    let tampered = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(tampered);
    let other = db.clone().with_cursor_secret("another secret");
    for (handle, cursor) in [
        (&sealed_db, tampered),
        (&other, sealed.clone()),
        (&db, sealed),
        (&sealed_db, plain),
    ] {
        let err = handle
            .query::<Event>(pk)
            .start_from(cursor)
            .page()
            .await
            .unwrap_err();
        assert!(err.is_invalid_cursor(), "{err}");
    }
}
