//! Collections: one query over a customer's partition returns the customer
//! and their orders decoded into an enum, across pages (cursor, small page
//! size, fill-to-N, stream, count), skipping or reporting the addresses the
//! enum does not list, with per-member filters and typed sort-key conditions.

use dynamodel::{Collection, Db, Error, Model};
use dynamodel_tests::db_with_table;
use futures::TryStreamExt;

#[derive(Model, Debug, Clone, PartialEq)]
#[dynamodel(table = "shop", pk = "CUSTOMER#{id}", sk = "PROFILE")]
struct Customer {
    id: String,
    name: String,
}

#[derive(Model, Debug, Clone, PartialEq)]
#[dynamodel(table = "shop", pk = "CUSTOMER#{customer_id}", sk = "ORDER#{order_id}")]
struct Order {
    customer_id: String,
    order_id: u32,
    total: i64,
}

/// On the same partition, but not in the collection.
#[derive(Model, Debug, Clone, PartialEq)]
#[dynamodel(table = "shop", pk = "CUSTOMER#{customer_id}", sk = "ADDRESS#{n}")]
struct Address {
    customer_id: String,
    n: u32,
    city: String,
}

#[derive(Collection, Debug, Clone, PartialEq)]
enum CustomerPage {
    Customer(Customer),
    Order(Order),
}

const ORDERS: u32 = 12;
const ADDRESSES: u32 = 5;

/// Customer `c1` with 12 orders (totals 0, 10, .. 110) and 5 addresses;
/// customer `c2` with one order.
async fn shop(test: &str) -> Db {
    let db = db_with_table::<Customer>(test).await;
    db.put(&Customer {
        id: "c1".into(),
        name: "Ada".into(),
    })
    .await
    .expect("put");
    for order_id in 0..ORDERS {
        db.put(&order("c1", order_id)).await.expect("put");
    }
    for n in 0..ADDRESSES {
        db.put(&Address {
            customer_id: "c1".into(),
            n,
            city: format!("city {n}"),
        })
        .await
        .expect("put");
    }
    db.put(&order("c2", 0)).await.expect("put");
    db
}

fn order(customer: &str, order_id: u32) -> Order {
    Order {
        customer_id: customer.into(),
        order_id,
        total: i64::from(order_id) * 10,
    }
}

/// What c1's partition holds of the collection, in key order (`ORDER#` < `PROFILE`).
fn expected() -> Vec<CustomerPage> {
    let mut out: Vec<CustomerPage> = (0..ORDERS)
        .map(|id| CustomerPage::Order(order("c1", id)))
        .collect();
    out.push(CustomerPage::Customer(Customer {
        id: "c1".into(),
        name: "Ada".into(),
    }));
    out
}

#[tokio::test]
async fn pages_with_a_cursor_return_exactly_the_members_items() {
    let db = shop("coll_pages").await;
    let mut items = Vec::new();
    let mut cursor: Option<String> = None;
    let mut pages = 0;
    loop {
        let mut query = db.collection::<CustomerPage>("c1").limit(3).consistent();
        if let Some(c) = cursor.take() {
            query = query.start_from(c);
        }
        let page = query.page().await.expect("page");
        assert!(page.errors.is_empty(), "{:?}", page.errors);
        assert!(page.items.len() <= 3);
        items.extend(page.items);
        pages += 1;
        match page.cursor {
            Some(c) => cursor = Some(c),
            None => break,
        }
    }
    assert_eq!(items, expected());
    // 18 items in the partition, 3 per page: the addresses were read and skipped.
    assert!(pages >= 6, "{pages} pages");
    let streamed: Vec<CustomerPage> = db
        .collection::<CustomerPage>("c1")
        .limit(4)
        .stream()
        .try_collect()
        .await
        .expect("stream");
    assert_eq!(streamed, expected());
    assert_eq!(
        db.collection::<CustomerPage>("c1")
            .count()
            .await
            .expect("count"),
        u64::from(ORDERS) + 1
    );
    let other = db
        .collection::<CustomerPage>("c2")
        .all()
        .await
        .expect("all");
    assert_eq!(other, [CustomerPage::Order(order("c2", 0))]);
}

#[tokio::test]
async fn fill_returns_n_items_and_resumes_right_after() {
    let db = shop("coll_fill").await;
    let first = db
        .collection::<CustomerPage>("c1")
        .limit(2)
        .consistent()
        .fill(5)
        .await
        .expect("fill");
    assert!(first.errors.is_empty(), "{:?}", first.errors);
    assert_eq!(first.items, expected()[..5]);
    let rest = db
        .collection::<CustomerPage>("c1")
        .limit(2)
        .consistent()
        .start_from(first.cursor.expect("more"))
        .fill(100)
        .await
        .expect("fill");
    assert_eq!(rest.items, expected()[5..]);
    assert_eq!(rest.cursor, None);
    // A cursor of a single-model query is not this collection query's.
    let order_page = db.query::<Order>("c1").limit(1).page().await.expect("page");
    let error = db
        .collection::<CustomerPage>("c1")
        .start_from(order_page.cursor.expect("cursor"))
        .page()
        .await
        .unwrap_err();
    assert!(matches!(error, Error::InvalidCursor { .. }), "{error:?}");
}

#[tokio::test]
async fn unlisted_entities_are_skipped_or_reported() {
    let db = shop("coll_unlisted").await;
    let reported = db
        .collection::<CustomerPage>("c1")
        .report_unlisted()
        .limit(4)
        .fill(100)
        .await
        .expect("fill");
    assert_eq!(reported.items, expected());
    assert_eq!(reported.errors.len(), ADDRESSES as usize);
    for error in &reported.errors {
        let Error::Item { source, .. } = error else {
            panic!("expected an item error, got {error:?}");
        };
        assert!(
            matches!(
                **source,
                Error::UnlistedEntity {
                    collection: "CustomerPage",
                    ..
                }
            ),
            "{source:?}"
        );
        // Names and types only: no key value in the message.
        assert!(!source.to_string().contains("c1"), "{source}");
    }
    // Strict: the first unlisted item fails the read (addresses sort first).
    let error = db
        .collection::<CustomerPage>("c1")
        .report_unlisted()
        .strict()
        .all()
        .await
        .unwrap_err();
    assert!(matches!(error, Error::UnlistedEntity { .. }), "{error:?}");
    // Reported items count too; skipped ones do not.
    assert_eq!(
        db.collection::<CustomerPage>("c1")
            .report_unlisted()
            .count()
            .await
            .expect("count"),
        u64::from(ORDERS + ADDRESSES) + 1
    );
}

#[tokio::test]
async fn filters_apply_to_their_member_and_sort_conditions_are_typed() {
    let db = shop("coll_filter").await;
    let big = db
        .collection::<CustomerPage>("c1")
        .filter(Order::fields().total.ge(90i64))
        .limit(3)
        .fill(100)
        .await
        .expect("fill");
    assert!(big.errors.is_empty(), "{:?}", big.errors);
    let mut want: Vec<CustomerPage> = (9..ORDERS)
        .map(|id| CustomerPage::Order(order("c1", id)))
        .collect();
    want.push(expected().pop().expect("customer"));
    assert_eq!(big.items, want);
    // Two filters, on two members: both apply.
    let none = db
        .collection::<CustomerPage>("c1")
        .filter(Order::fields().total.ge(90i64))
        .filter(Customer::fields().name.eq("Bob"))
        .all()
        .await
        .expect("all");
    assert_eq!(none, want[..want.len() - 1]);
    // Orders only, through the sort key's typed prefix.
    let orders = db
        .collection::<CustomerPage>("c1")
        .sort_begins_with::<Order>(OrderSortKey::prefix())
        .all()
        .await
        .expect("all");
    assert_eq!(orders, expected()[..ORDERS as usize]);
    // From order 10 to the profile.
    let tail = db
        .collection::<CustomerPage>("c1")
        .sort_between::<Order, Customer>(10u32, CustomerSortKey::from(()))
        .descending()
        .all()
        .await
        .expect("all");
    let mut want_tail = expected()[10..].to_vec();
    want_tail.reverse();
    assert_eq!(tail, want_tail);
}

#[derive(Model, Debug, Clone, PartialEq)]
#[dynamodel(
    table = "crm",
    pk = "ACCOUNT#{account}",
    sk = "PROFILE",
    gsi(name = "by_region", hash = region)
)]
struct Account {
    account: String,
    region: String,
}

#[derive(Model, Debug, Clone, PartialEq)]
#[dynamodel(table = "crm", pk = "ACCOUNT#{account}", sk = "LEAD#{n}")]
struct Lead {
    account: String,
    n: u32,
    region: String,
}

/// In the index too, but not in the collection.
#[derive(Model, Debug, Clone, PartialEq)]
#[dynamodel(table = "crm", pk = "ACCOUNT#{account}", sk = "MEMO#{n}")]
struct Memo {
    account: String,
    n: u32,
    region: String,
}

#[derive(Collection, Debug, Clone, PartialEq)]
enum RegionPage {
    Account(Account),
    Lead(Lead),
}

/// A stable order for items an index without a sort key returns in any order.
fn label(item: &RegionPage) -> String {
    match item {
        RegionPage::Account(a) => format!("{}/profile", a.account),
        RegionPage::Lead(l) => format!("{}/lead{}", l.account, l.n),
    }
}

#[tokio::test]
async fn a_collection_is_queried_through_an_index_across_pages() {
    let db = db_with_table::<Account>("coll_index").await;
    for (account, region) in [("a1", "eu"), ("a2", "eu"), ("a3", "us")] {
        let (account, region) = (account.to_owned(), region.to_owned());
        db.put(&Account {
            account: account.clone(),
            region: region.clone(),
        })
        .await
        .expect("put");
        for n in 0..2 {
            db.put(&Lead {
                account: account.clone(),
                n,
                region: region.clone(),
            })
            .await
            .expect("put");
            db.put(&Memo {
                account: account.clone(),
                n,
                region: region.clone(),
            })
            .await
            .expect("put");
        }
    }
    let first = db
        .collection_index::<RegionPage, _>(Account::indexes().by_region, "eu")
        .limit(2)
        .fill(3)
        .await
        .expect("fill");
    assert!(first.errors.is_empty(), "{:?}", first.errors);
    assert_eq!(first.items.len(), 3);
    let rest = db
        .collection_index::<RegionPage, _>(Account::indexes().by_region, "eu")
        .limit(2)
        .start_from(first.cursor.expect("more"))
        .fill(100)
        .await
        .expect("fill");
    assert!(rest.errors.is_empty(), "{:?}", rest.errors);
    assert_eq!(rest.cursor, None);
    let mut labels: Vec<String> = first.items.iter().chain(&rest.items).map(label).collect();
    labels.sort();
    assert_eq!(
        labels,
        [
            "a1/lead0",
            "a1/lead1",
            "a1/profile",
            "a2/lead0",
            "a2/lead1",
            "a2/profile"
        ]
    );
}
