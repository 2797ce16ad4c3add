//! Projection on point reads: `get`, `batch_get`, `batch_read` and
//! `transact_get` read a projection struct (`projection_of = Model`); the
//! request names only its attributes plus what the read checks (key,
//! entity, TTL); another entity's item is still not found; an expired item
//! is still skipped.

use dynamodel::{AttributeValue, Db, Model};
use dynamodel_tests::{db_with_table, now_ms};

#[derive(Model, Debug, Clone, PartialEq)]
#[dynamodel(table = "people", entity = "user")]
struct User {
    #[dynamodel(hash_key)]
    id: String,
    name: String,
    bio: String,
    age: u32,
    #[dynamodel(ttl)]
    expires: Option<i64>,
}

/// Another entity on the same table, with none of `UserName`'s attributes
/// but the key.
#[derive(Model, Debug, Clone, PartialEq)]
#[dynamodel(table = "people", entity = "team")]
struct Team {
    #[dynamodel(hash_key)]
    id: String,
    title: String,
}

#[derive(Model, Debug, Clone, PartialEq)]
#[dynamodel(table = "people", projection_of = User)]
struct UserName {
    #[dynamodel(hash_key)]
    id: String,
    name: String,
}

fn user(id: &str, expires: Option<i64>) -> User {
    User {
        id: id.to_owned(),
        name: format!("name of {id}"),
        bio: "x".repeat(200),
        age: 42,
        expires,
    }
}

fn name(id: &str) -> UserName {
    UserName {
        id: id.to_owned(),
        name: format!("name of {id}"),
    }
}

async fn people(test: &str) -> Db {
    let db = db_with_table::<User>(test).await;
    let now = i64::try_from(now_ms() / 1000).unwrap();
    for u in [
        user("u1", None),
        user("u2", Some(now + 3_600)),
        user("old", Some(now - 3_600)),
    ] {
        db.put(&u).await.unwrap();
    }
    db.put(&Team {
        id: "t1".into(),
        title: "core".into(),
    })
    .await
    .unwrap();
    db
}

/// The attribute names a request's projection stands for, sorted.
fn projected_names(request: &dynamodel::ops::Request) -> Vec<String> {
    let names = request.names().cloned().unwrap_or_default();
    let mut out: Vec<String> = request
        .projection_expression()
        .unwrap()
        .split(", ")
        .map(|placeholder| names[placeholder].clone())
        .collect();
    out.sort();
    out
}

#[tokio::test]
async fn a_projected_get_names_only_the_projection_key_entity_and_ttl_attributes() {
    let db = people("proj-request").await;
    let request = db
        .get::<User>("u1")
        .project::<UserName>()
        .to_request()
        .unwrap();
    assert_eq!(projected_names(&request), ["__entity", "id", "name"]);
    let request = db
        .get::<User>("u1")
        .skip_expired()
        .project::<UserName>()
        .to_request()
        .unwrap();
    assert_eq!(
        projected_names(&request),
        ["__entity", "expires", "id", "name"]
    );
    // A whole-item get sends no projection.
    let whole = db.get::<User>("u1").to_request().unwrap();
    assert_eq!(whole.projection_expression(), None);
}

#[tokio::test]
async fn a_projected_get_returns_the_subset_and_keeps_to_the_entity() {
    let db = people("proj-get").await;
    let got = db.get::<User>("u1").project::<UserName>().await.unwrap();
    assert_eq!(got, Some(name("u1")));
    let consistent = db
        .get::<User>("u1")
        .consistent()
        .project::<UserName>()
        .await
        .unwrap();
    assert_eq!(consistent, Some(name("u1")));
    // The team's item has the key but is another entity's: not found (and
    // not a decode error for its missing `name`).
    let team = db.get::<User>("t1").project::<UserName>().await.unwrap();
    assert_eq!(team, None);
    assert_eq!(
        db.get::<User>("nobody")
            .project::<UserName>()
            .await
            .unwrap(),
        None
    );
}

#[tokio::test]
async fn a_projected_get_with_skip_expired_still_skips_an_expired_item() {
    let db = people("proj-ttl").await;
    let old = db
        .get::<User>("old")
        .skip_expired()
        .project::<UserName>()
        .await
        .unwrap();
    assert_eq!(
        old, None,
        "expired: skipped although `expires` is not projected"
    );
    let live = db
        .get::<User>("u2")
        .skip_expired()
        .project::<UserName>()
        .await
        .unwrap();
    assert_eq!(live, Some(name("u2")));
}

#[tokio::test]
async fn a_projected_batch_get_returns_subsets_and_lists_foreign_keys_as_missing() {
    let db = people("proj-batch").await;
    let read = db
        .batch_get::<User>(["u1", "t1", "u2", "nobody"])
        .project::<UserName>()
        .strict()
        .await
        .unwrap();
    assert_eq!(read.items, vec![name("u1"), name("u2")]);
    assert!(read.errors.is_empty());
    assert_eq!(read.missing, vec!["t1".to_owned(), "nobody".to_owned()]);
}

#[tokio::test]
async fn projected_batch_and_transact_gets_with_skip_expired_still_skip_an_expired_item() {
    let db = people("proj-batch-ttl").await;
    let read = db
        .batch_get::<User>(["old", "u2"])
        .project::<UserName>()
        .await
        .unwrap();
    assert_eq!(read.items, vec![name("old"), name("u2")]);
    let read = db
        .batch_get::<User>(["old", "u2"])
        .project::<UserName>()
        .skip_expired()
        .strict()
        .await
        .unwrap();
    assert_eq!(read.items, vec![name("u2")], "`expires` is not projected");
    assert_eq!(read.missing, vec!["old".to_owned()]);

    let out = db
        .transact_get()
        .get_projected::<User, UserName>("old")
        .get_projected::<User, UserName>("u2")
        .skip_expired()
        .send()
        .await
        .unwrap();
    assert_eq!(
        out.projected_items::<User, UserName>().unwrap(),
        vec![name("u2")]
    );
    assert_eq!(out.missing::<User>(), vec!["old".to_owned()]);
}

#[tokio::test]
async fn batch_read_and_transact_get_mix_projected_and_whole_reads() {
    let db = people("proj-mixed").await;
    let out = db
        .batch_read()
        .get_projected::<User, UserName>("u1")
        .get_projected::<User, UserName>("t1")
        .get::<Team>("t1")
        .send()
        .await
        .unwrap();
    assert_eq!(
        out.projected_items::<User, UserName>().unwrap(),
        vec![name("u1")]
    );
    assert_eq!(out.missing::<User>(), vec!["t1".to_owned()]);
    assert_eq!(out.items::<Team>().unwrap().len(), 1);
    // Whole reads of `User` do not include the projected ones.
    assert!(out.items::<User>().unwrap().is_empty());

    let out = db
        .transact_get()
        .get_projected::<User, UserName>("u2")
        .get_projected::<User, UserName>("t1")
        .get::<User>("u1")
        .send()
        .await
        .unwrap();
    assert_eq!(
        out.projected_items::<User, UserName>().unwrap(),
        vec![name("u2")]
    );
    assert_eq!(out.items::<User>().unwrap(), vec![user("u1", None)]);
    assert_eq!(out.missing::<User>(), vec!["t1".to_owned()]);
}

#[tokio::test]
async fn a_projected_transact_get_reads_only_the_projected_attributes() {
    let db = people("proj-transact-raw").await;
    // A projection struct that keeps every attribute it gets would show
    // more: check through the raw output that `bio` did not travel.
    let out = db
        .transact_get()
        .get_projected::<User, UserName>("u1")
        .send()
        .await
        .unwrap();
    let raw = out.raw_items();
    assert_eq!(raw.len(), 1);
    let mut names: Vec<&String> = raw[0].1.keys().collect();
    names.sort();
    assert_eq!(names, ["__entity", "id", "name"]);
    assert_eq!(raw[0].1.get("bio"), None::<&AttributeValue>);
}
