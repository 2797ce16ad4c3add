//! Updates keep composed index keys in step, as ElectroDB does: setting the
//! fields of an index key template writes the index attribute, rendered as
//! a put renders it, so the item moves in the index; a partial template is
//! refused before sending; removing an `Option` field of a sparse template
//! takes the item out of the index; tracked saves and patches do the same.
//! `composite()` supplies the current values of the fields an update leaves
//! alone, checked by a condition.

use chrono::{DateTime, Utc};
use dynamodel::{Db, Error, Item, Model};
use dynamodel_tests::{db_with_table, raw_item, s};

#[derive(Model, Debug, Clone, PartialEq)]
#[dynamodel(
    table = "tickets",
    pk = "TICKET#{ticket_id}",
    gsi(
        name = "gsi1",
        pk = "QUEUE#{queue}",
        sk = "STATUS#{status}#{opened_at}#{ticket_id}"
    ),
    gsi(
        name = "gsi2",
        pk(name = "assignee_key", template = "ASSIGNEE#{assignee}")
    )
)]
struct Ticket {
    ticket_id: String,
    queue: String,
    status: String,
    opened_at: DateTime<Utc>,
    assignee: Option<String>,
    title: String,
}

fn at(seconds: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(seconds, 0).expect("valid")
}

fn ticket(id: &str, status: &str, seconds: i64) -> Ticket {
    Ticket {
        ticket_id: id.into(),
        queue: "support".into(),
        status: status.into(),
        opened_at: at(seconds),
        assignee: None,
        title: "printer on fire".into(),
    }
}

/// The ids of the tickets of queue `support` whose status is `status`.
async fn in_status(db: &Db, status: &str) -> Vec<String> {
    db.query_index(Ticket::indexes().gsi1, "support")
        .sort_begins_with(TicketGsi1SortKey::prefix_status(status.to_owned()))
        .all()
        .await
        .expect("query")
        .into_iter()
        .map(|t| t.ticket_id)
        .collect()
}

/// The ids of the tickets assigned to `who`.
async fn assigned_to(db: &Db, who: &str) -> Vec<String> {
    db.query_index(Ticket::indexes().gsi2, who.to_owned())
        .all()
        .await
        .expect("query")
        .into_iter()
        .map(|t| t.ticket_id)
        .collect()
}

/// The raw item a put of `ticket` stores (put, read raw, then restored to
/// `restore`'s raw item by putting it back through the SDK).
async fn as_put(db: &Db, ticket: &Ticket) -> Item {
    let before = raw_item::<Ticket>(db, &ticket.key()).await;
    db.put(ticket).await.expect("put");
    let put = raw_item::<Ticket>(db, &ticket.key()).await.expect("stored");
    if let Some(before) = before {
        db.client()
            .put_item()
            .table_name(db.table_name::<Ticket>())
            .set_item(Some(before))
            .send()
            .await
            .expect("restored");
    }
    put
}

fn invalid_request(error: &Error) -> &str {
    match error {
        Error::InvalidRequest { model, message } => {
            assert_eq!(*model, "Ticket");
            message
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn an_update_of_every_template_field_moves_the_item_in_the_index() {
    let db = db_with_table::<Ticket>("cmp_move").await;
    let open = ticket("t#1", "OPEN", 100);
    db.put(&open).await.expect("put");
    db.put(&ticket("t2", "OPEN", 50)).await.expect("put");
    assert_eq!(in_status(&db, "OPEN").await, ["t2", "t#1"]);
    let fields = Ticket::fields();
    // `ticket_id` comes from the key; the two others are set.
    db.update::<Ticket>(open.key())
        .set(&fields.status, "CLOSED#50%".to_owned())
        .set(&fields.opened_at, at(300))
        .await
        .expect("update");
    assert_eq!(
        in_status(&db, "OPEN").await,
        ["t2"],
        "not under the old key"
    );
    assert_eq!(in_status(&db, "CLOSED#50%").await, ["t#1"]);
    // Byte for byte what a put of the same final item writes.
    let updated = raw_item::<Ticket>(&db, &open.key()).await.expect("stored");
    let final_item = Ticket {
        status: "CLOSED#50%".into(),
        opened_at: at(300),
        ..open.clone()
    };
    assert_eq!(
        db.get::<Ticket>(open.key()).await.expect("get"),
        Some(final_item.clone())
    );
    let put = as_put(&db, &final_item).await;
    assert_eq!(
        updated["gsi1sk"],
        s("STATUS#CLOSED%2350%25#1970-01-01T00:05:00.000000000Z#t%231")
    );
    assert_eq!(updated, put, "the update stores what a put stores");
}

#[tokio::test]
async fn an_update_of_part_of_a_template_is_refused_before_sending() {
    let db = db_with_table::<Ticket>("cmp_partial").await;
    let open = ticket("t1", "OPEN", 100);
    db.put(&open).await.expect("put");
    let before = raw_item::<Ticket>(&db, &open.key()).await;
    let fields = Ticket::fields();
    let refused = db
        .update::<Ticket>(open.key())
        .set(&fields.status, "CLOSED".to_owned())
        .set(&fields.title, "fixed".to_owned())
        .await
        .expect_err("partial");
    assert_eq!(
        invalid_request(&refused),
        "`status` composes the key of index `gsi1` (attribute `gsi1sk`) with `opened_at`: set `opened_at` too, or give the current values with `composite()` (or write the whole item)"
    );
    // The same through a patch; and an upsert.
    let refused = db
        .update::<Ticket>(open.key())
        .patch(TicketPatch {
            opened_at: Some(at(1)),
            ..TicketPatch::default()
        })
        .await
        .expect_err("partial patch");
    assert!(
        invalid_request(&refused).contains("set `status` too"),
        "{refused}"
    );
    let refused = db
        .upsert::<Ticket>("t9".to_owned())
        .set(&fields.queue, "billing".to_owned())
        .set(&fields.status, "NEW".to_owned())
        .await
        .expect_err("partial upsert");
    assert!(
        invalid_request(&refused).contains("with `opened_at`"),
        "{refused}"
    );
    assert_eq!(
        raw_item::<Ticket>(&db, &open.key()).await,
        before,
        "nothing written"
    );
    assert!(raw_item::<Ticket>(&db, &"t9".to_owned()).await.is_none());
    // What the update cannot render is refused too, saying why.
    let refused = db
        .update::<Ticket>(open.key())
        .set_if_not_exists(&fields.status, "X".to_owned())
        .set(&fields.opened_at, at(1))
        .await
        .expect_err("if_not_exists");
    assert!(
        invalid_request(&refused).contains("`set_if_not_exists`"),
        "{refused}"
    );
}

#[tokio::test]
async fn patches_and_upserts_write_the_index_key() {
    let db = db_with_table::<Ticket>("cmp_patch").await;
    let open = ticket("t1", "OPEN", 100);
    db.put(&open).await.expect("put");
    db.update::<Ticket>(open.key())
        .patch(TicketPatch {
            status: Some("DONE".into()),
            opened_at: Some(at(100)),
            assignee: Some(Some("ada".into())),
            ..TicketPatch::default()
        })
        .await
        .expect("patch");
    assert_eq!(in_status(&db, "DONE").await, ["t1"]);
    assert_eq!(assigned_to(&db, "ada").await, ["t1"]);
    let fields = Ticket::fields();
    let created = Ticket {
        assignee: Some("bob".into()),
        ..ticket("t2", "NEW", 7)
    };
    db.upsert::<Ticket>(created.key())
        .set(&fields.queue, created.queue.clone())
        .set(&fields.status, created.status.clone())
        .set(&fields.opened_at, created.opened_at)
        .set(&fields.assignee, "bob".to_owned())
        .set(&fields.title, created.title.clone())
        .await
        .expect("upsert creates");
    let upserted = raw_item::<Ticket>(&db, &created.key())
        .await
        .expect("stored");
    let put = as_put(&db, &created).await;
    for attribute in ["gsi1pk", "gsi1sk", "assignee_key"] {
        assert_eq!(upserted[attribute], put[attribute], "{attribute}");
    }
    assert_eq!(in_status(&db, "NEW").await, ["t2"]);
}

#[tokio::test]
async fn removing_an_option_of_a_sparse_template_leaves_the_index() {
    let db = db_with_table::<Ticket>("cmp_sparse").await;
    let open = ticket("t1", "OPEN", 100);
    db.put(&open).await.expect("put");
    let fields = Ticket::fields();
    db.update::<Ticket>(open.key())
        .set(&fields.assignee, "ada".to_owned())
        .await
        .expect("assign");
    assert_eq!(assigned_to(&db, "ada").await, ["t1"]);
    let raw = raw_item::<Ticket>(&db, &open.key()).await.expect("stored");
    assert_eq!(raw["assignee_key"], s("ASSIGNEE#ada"));
    db.update::<Ticket>(open.key())
        .remove(&fields.assignee)
        .await
        .expect("unassign");
    assert!(assigned_to(&db, "ada").await.is_empty());
    let raw = raw_item::<Ticket>(&db, &open.key()).await.expect("stored");
    assert!(!raw.contains_key("assignee_key") && !raw.contains_key("assignee"));
    assert_eq!(
        raw,
        as_put(&db, &open).await,
        "as a put of the unassigned item"
    );
}

#[tokio::test]
async fn a_tracked_save_moves_the_item_in_the_index() {
    let db = db_with_table::<Ticket>("cmp_tracked").await;
    let open = ticket("t1", "OPEN", 100);
    db.put(&open).await.expect("put");
    let mut tracked = db
        .get::<Ticket>(open.key())
        .tracked()
        .await
        .expect("get")
        .expect("found");
    tracked.status = "CLOSED".into();
    tracked.assignee = Some("ada".into());
    assert!(db.save_changes(&mut tracked).await.expect("saved"));
    assert!(in_status(&db, "OPEN").await.is_empty());
    assert_eq!(in_status(&db, "CLOSED").await, ["t1"]);
    assert_eq!(assigned_to(&db, "ada").await, ["t1"]);
    let saved = raw_item::<Ticket>(&db, &open.key()).await.expect("stored");
    assert_eq!(saved, as_put(&db, &tracked).await);
}

#[tokio::test]
async fn a_tracked_save_fails_when_a_template_field_changed_behind_it() {
    let db = db_with_table::<Ticket>("cmp_tracked_race").await;
    let open = ticket("t1", "OPEN", 100);
    db.put(&open).await.expect("put");
    let mut tracked = db
        .get::<Ticket>(open.key())
        .tracked()
        .await
        .expect("get")
        .expect("found");
    // Another writer reopens the ticket at another time.
    let fields = Ticket::fields();
    db.update::<Ticket>(open.key())
        .set(&fields.status, "OPEN".to_owned())
        .set(&fields.opened_at, at(500))
        .await
        .expect("other writer");
    // The save would render the key with the `opened_at` it read: refused.
    tracked.status = "CLOSED".into();
    let refused = db.save_changes(&mut tracked).await.expect_err("stale");
    assert!(
        matches!(refused, Error::ConditionFailed { .. }),
        "{refused:?}"
    );
    assert!(in_status(&db, "CLOSED").await.is_empty());
    let raw = raw_item::<Ticket>(&db, &open.key()).await.expect("stored");
    assert_eq!(
        raw["gsi1sk"],
        s("STATUS#OPEN#1970-01-01T00:08:20.000000000Z#t1"),
        "the other writer's key stands"
    );
}

fn condition_failed(error: &Error) {
    assert!(
        matches!(
            error,
            Error::ConditionFailed {
                model: "Ticket",
                ..
            }
        ),
        "{error:?}"
    );
}

#[tokio::test]
async fn composite_values_render_the_index_key_of_a_partial_update() {
    let db = db_with_table::<Ticket>("cmp_composite").await;
    let fields = Ticket::fields();
    let open = ticket("t#1", "OPEN", 100);
    db.put(&open).await.expect("put");
    // `status` alone, `opened_at` given as stored: the item moves in gsi1.
    db.update::<Ticket>(open.key())
        .set(&fields.status, "CLOSED".to_owned())
        .composite(&fields.opened_at, at(100))
        .await
        .expect("update");
    assert!(in_status(&db, "OPEN").await.is_empty(), "left the old key");
    assert_eq!(in_status(&db, "CLOSED").await, ["t#1"]);
    let closed = Ticket {
        status: "CLOSED".into(),
        ..open.clone()
    };
    let updated = raw_item::<Ticket>(&db, &open.key()).await.expect("stored");
    assert_eq!(updated, as_put(&db, &closed).await, "what a put stores");
    // Through a patch, in a transaction.
    db.transact_write()
        .update(
            db.update::<Ticket>(open.key())
                .patch(TicketPatch {
                    status: Some("REOPENED".into()),
                    ..TicketPatch::default()
                })
                .composite(&fields.opened_at, at(100)),
        )
        .send()
        .await
        .expect("transaction");
    assert_eq!(in_status(&db, "REOPENED").await, ["t#1"]);
    // An upsert of an existing item keeps the stored values (an upsert
    // must write every required attribute: `composite()` counts)...
    db.upsert::<Ticket>(open.key())
        .set(&fields.status, "OPEN".to_owned())
        .set_if_not_exists(&fields.title, "unused".to_owned())
        .composite(&fields.opened_at, at(100))
        .composite(&fields.queue, "support".to_owned())
        .await
        .expect("upsert");
    assert_eq!(
        db.get::<Ticket>(open.key()).await.expect("get"),
        Some(open.clone())
    );
    assert_eq!(in_status(&db, "OPEN").await, ["t#1"]);
    // ... and one creating the item writes it, so the item holds the
    // fields its index key was rendered from.
    let created = ticket("t2", "NEW", 7);
    db.upsert::<Ticket>(created.key())
        .set(&fields.queue, created.queue.clone())
        .set(&fields.status, created.status.clone())
        .set(&fields.title, created.title.clone())
        .composite(&fields.opened_at, at(7))
        .await
        .expect("upsert creates");
    assert_eq!(in_status(&db, "NEW").await, ["t2"]);
    assert_eq!(
        db.get::<Ticket>(created.key()).await.expect("get"),
        Some(created.clone())
    );
    let upserted = raw_item::<Ticket>(&db, &created.key())
        .await
        .expect("stored");
    assert_eq!(upserted["gsi1sk"], as_put(&db, &created).await["gsi1sk"]);
}

#[tokio::test]
async fn a_wrong_composite_value_fails_the_update_and_writes_nothing() {
    let db = db_with_table::<Ticket>("cmp_composite_wrong").await;
    let fields = Ticket::fields();
    let open = ticket("t1", "OPEN", 100);
    db.put(&open).await.expect("put");
    let before = raw_item::<Ticket>(&db, &open.key()).await;
    let failed = db
        .update::<Ticket>(open.key())
        .set(&fields.status, "CLOSED".to_owned())
        .composite(&fields.opened_at, at(101))
        .await
        .expect_err("wrong opened_at");
    condition_failed(&failed);
    let failed = db
        .upsert::<Ticket>(open.key())
        .set(&fields.status, "CLOSED".to_owned())
        .set_if_not_exists(&fields.title, "unused".to_owned())
        .composite(&fields.queue, "support".to_owned())
        .composite(&fields.opened_at, at(99))
        .await
        .expect_err("wrong opened_at, upsert");
    condition_failed(&failed);
    let failed = db
        .update::<Ticket>(open.key())
        .unconditional()
        .set(&fields.status, "CLOSED".to_owned())
        .composite(&fields.opened_at, at(1))
        .await
        .expect_err("wrong opened_at, unconditional");
    condition_failed(&failed);
    // An `Option` the item lacks is no value given either.
    let failed = db
        .update::<Ticket>(open.key())
        .set(&fields.title, "x".to_owned())
        .composite(&fields.assignee, "ada".to_owned())
        .await
        .expect_err("assignee is absent");
    condition_failed(&failed);
    assert_eq!(raw_item::<Ticket>(&db, &open.key()).await, before);
    assert_eq!(in_status(&db, "OPEN").await, ["t1"]);
    assert!(in_status(&db, "CLOSED").await.is_empty());
}

/// `text` (an expression of `request`) with its placeholders replaced by
/// the names and values (`{:?}`) they stand for.
fn resolved(request: &dynamodel::ops::UpdateRequest, text: &str) -> String {
    let names = request.names().into_iter().flatten();
    let values = request.values().into_iter().flatten();
    let mut pairs: Vec<(String, String)> = names
        .map(|(placeholder, name)| (placeholder.clone(), name.clone()))
        .chain(values.map(|(placeholder, value)| (placeholder.clone(), format!("{value:?}"))))
        .collect();
    // `#n10` before `#n1`.
    pairs.sort_by_key(|(placeholder, _)| std::cmp::Reverse(placeholder.len()));
    pairs
        .into_iter()
        .fold(text.to_owned(), |text, (placeholder, shown)| {
            text.replace(&placeholder, &shown)
        })
}

#[tokio::test]
async fn an_upsert_writes_a_required_composite_value_only_into_an_item_it_creates() {
    let db = db_with_table::<Ticket>("cmp_upsert_required").await;
    let fields = Ticket::fields();
    let open = ticket("t1", "OPEN", 100);
    // The other required fields written, `opened_at` (required, in gsi1's
    // template) only given: the upsert may create the item, which must
    // then hold it, but must not change an existing item's.
    let upsert = || {
        db.upsert::<Ticket>(open.key())
            .set(&fields.status, "CLOSED".to_owned())
            .set(&fields.queue, "support".to_owned())
            .set(&fields.title, open.title.clone())
    };
    let request = upsert()
        .composite(&fields.opened_at, at(100))
        .to_request()
        .expect("request");
    let opened_at = format!("{:?}", open.to_item().expect("item")["opened_at"]);
    let update = resolved(&request, request.update_expression().expect("update"));
    assert!(
        update.contains(&format!(
            "opened_at = if_not_exists(opened_at, {opened_at})"
        )),
        "written only if absent: {update}"
    );
    let condition = resolved(&request, request.condition_expression().expect("condition"));
    assert!(
        condition.contains(&format!(
            "(attribute_not_exists(pk)) OR (opened_at = {opened_at})"
        )),
        "an existing item holds the value given: {condition}"
    );
    // Without it, the item an upsert may create would lack it: refused
    // before sending, naming the field (the index key is partial too).
    let refused = db
        .upsert::<Ticket>(open.key())
        .set(&fields.queue, "support".to_owned())
        .set(&fields.title, open.title.clone())
        .to_request()
        .expect_err("lacks required fields");
    match &refused {
        Error::Validation { model, errors } => {
            assert_eq!(*model, "Ticket");
            let shown = errors.to_string();
            assert!(
                shown.contains("opened_at") && shown.contains("status"),
                "{shown}"
            );
        }
        other => panic!("{other:?}"),
    }
    // Sent: it creates the item whole (readable, in gsi1 as a put puts it)...
    upsert()
        .composite(&fields.opened_at, at(100))
        .await
        .expect("upsert creates");
    let closed = Ticket {
        status: "CLOSED".into(),
        ..open.clone()
    };
    assert_eq!(
        db.get::<Ticket>(open.key()).await.expect("get"),
        Some(closed.clone())
    );
    let created = raw_item::<Ticket>(&db, &open.key()).await.expect("stored");
    assert_eq!(created, as_put(&db, &closed).await, "what a put stores");
    // ... and, the item existing, changes only what was set.
    db.upsert::<Ticket>(open.key())
        .set(&fields.status, "OPEN".to_owned())
        .set(&fields.queue, "support".to_owned())
        .set(&fields.title, open.title.clone())
        .composite(&fields.opened_at, at(100))
        .await
        .expect("upsert updates");
    assert_eq!(
        db.get::<Ticket>(open.key()).await.expect("get"),
        Some(open.clone())
    );
    assert_eq!(in_status(&db, "OPEN").await, ["t1"]);
}

#[tokio::test]
async fn composite_is_refused_on_what_it_cannot_give() {
    let db = db_with_table::<Ticket>("cmp_composite_refused").await;
    let fields = Ticket::fields();
    let open = ticket("t1", "OPEN", 100);
    db.put(&open).await.expect("put");
    let before = raw_item::<Ticket>(&db, &open.key()).await;
    let update = || {
        db.update::<Ticket>(open.key())
            .set(&fields.status, "CLOSED".to_owned())
            .composite(&fields.opened_at, at(100))
    };
    let refused = update()
        .composite(&fields.title, "printer on fire".to_owned())
        .await
        .expect_err("not a template field");
    assert_eq!(
        invalid_request(&refused),
        "`title` is given to `composite()` but composes no index key of the model: `composite()` takes the fields of index key templates only"
    );
    let refused = update()
        .composite(&fields.ticket_id, "t1".to_owned())
        .await
        .expect_err("a key field");
    assert_eq!(
        invalid_request(&refused),
        "`ticket_id` is given to `composite()` but is part of the primary key, which an update cannot change and takes from the key it is given: give `composite()` only index key template fields outside the primary key"
    );
    let refused = update()
        .composite(&fields.status, "OPEN".to_owned())
        .await
        .expect_err("also written");
    assert!(
        invalid_request(&refused).starts_with("`status` is given to `composite()` and written"),
        "{refused}"
    );
    let refused = update()
        .composite(&fields.opened_at, at(100))
        .await
        .expect_err("twice");
    assert_eq!(
        invalid_request(&refused),
        "`opened_at` is given to `composite()` twice"
    );
    assert_eq!(raw_item::<Ticket>(&db, &open.key()).await, before);
}

/// An invitation found by its generated token (a field `generate` fills
/// that an index key template names).
#[derive(Model, Debug, Clone, PartialEq)]
#[dynamodel(table = "invites", gsi(name = "by_token", pk = "TOKEN#{token}"))]
struct Invite {
    #[dynamodel(hash_key)]
    id: String,
    #[dynamodel(generate = "uuid_v7")]
    token: String,
    team: String,
}

/// The ids of the invitations with token `token`.
async fn with_token(db: &Db, token: &str) -> Vec<String> {
    db.query_index(Invite::indexes().by_token, token.to_owned())
        .all()
        .await
        .expect("query")
        .into_iter()
        .map(|invite| invite.id)
        .collect()
}

#[tokio::test]
async fn an_upsert_creating_an_item_indexes_its_generated_field() {
    let db = db_with_table::<Invite>("cmp_generated").await;
    let fields = Invite::fields();
    db.upsert::<Invite>("i1".to_owned())
        .set(&fields.team, "red".to_owned())
        .await
        .expect("upsert creates");
    let created = db
        .get::<Invite>("i1".to_owned())
        .await
        .expect("get")
        .expect("created");
    assert_eq!(created.token.len(), 36, "a uuid was generated");
    assert_eq!(with_token(&db, &created.token).await, ["i1"]);
    // What a put of the item stores, index key included.
    let upserted = raw_item::<Invite>(&db, &created.key())
        .await
        .expect("stored");
    db.put(&created).await.expect("put");
    assert_eq!(
        upserted,
        raw_item::<Invite>(&db, &created.key())
            .await
            .expect("stored")
    );
    // An upsert of the existing item keeps the token and its index key.
    db.upsert::<Invite>("i1".to_owned())
        .set(&fields.team, "blue".to_owned())
        .await
        .expect("upsert updates");
    let updated = db.get::<Invite>("i1".to_owned()).await.expect("get");
    assert_eq!(
        updated.map(|i| (i.token, i.team)),
        Some((created.token.clone(), "blue".to_owned()))
    );
    assert_eq!(with_token(&db, &created.token).await, ["i1"]);
}

#[tokio::test]
async fn an_upsert_refuses_an_item_whose_generated_field_lacks_its_index_key() {
    let db = db_with_table::<Invite>("cmp_generated_foreign").await;
    // Written by other code: a token, no index key.
    let mut foreign = dynamodel::Item::new();
    foreign.insert("id".into(), s("i2"));
    foreign.insert("token".into(), s("tok"));
    foreign.insert("team".into(), s("red"));
    db.client()
        .put_item()
        .table_name(db.table_name::<Invite>())
        .set_item(Some(foreign.clone()))
        .send()
        .await
        .expect("raw put");
    let fields = Invite::fields();
    let failed = db
        .upsert::<Invite>("i2".to_owned())
        .set(&fields.team, "blue".to_owned())
        .await
        .expect_err("an index key rendered from a new token would be wrong");
    assert!(
        matches!(
            failed,
            Error::ConditionFailed {
                model: "Invite",
                ..
            }
        ),
        "{failed:?}"
    );
    assert_eq!(
        raw_item::<Invite>(&db, &"i2".to_owned()).await,
        Some(foreign)
    );
}

/// A pass, listed by event then zone then serial: the sort key of
/// `by_event` composes `zone`, which updates write, with `serial`, which
/// `generate` fills when the pass is created.
#[derive(Model, Debug, Clone, PartialEq)]
#[dynamodel(
    table = "passes",
    gsi(name = "by_event", pk = "EVENT#{event}", sk = "{zone}#{serial}")
)]
struct Pass {
    #[dynamodel(hash_key)]
    id: String,
    event: String,
    zone: String,
    #[dynamodel(generate = "ulid")]
    serial: String,
}

/// The ids of the passes of event `e1` in zone `zone`, found through the
/// index's sort key.
async fn in_zone(db: &Db, zone: &str) -> Vec<String> {
    db.query_index(Pass::indexes().by_event, "e1".to_owned())
        .sort_begins_with(PassByEventSortKey::prefix_zone(zone.to_owned()))
        .all()
        .await
        .expect("query")
        .into_iter()
        .map(|pass| pass.id)
        .collect()
}

fn refusal_of_pass(error: &Error) -> &str {
    match error {
        Error::InvalidRequest { model, message } => {
            assert_eq!(*model, "Pass");
            message
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn an_update_of_a_field_composed_with_a_generated_one_needs_its_stored_value() {
    let db = db_with_table::<Pass>("cmp_generated_partial").await;
    let fields = Pass::fields();
    let pass = Pass {
        id: "p1".into(),
        event: "e1".into(),
        zone: "A".into(),
        serial: String::new(),
    };
    let created = db
        .create(&pass)
        .saved()
        .await
        .expect("create generates the serial");
    assert_eq!(created.serial.len(), 26, "a ulid was generated");
    let before = raw_item::<Pass>(&db, &created.key()).await;
    // Upsert and update alike: a fresh serial would render a key that is
    // not the item's, and the stored one is unknown: refused, unsent.
    let expected = "`zone` composes the key of index `by_event` (attribute `by_eventsk`) with `serial`: `serial` is filled by `generate` when the item is created, so the update cannot know the stored value";
    let upsert = db
        .upsert::<Pass>("p1".to_owned())
        .set(&fields.event, "e1".to_owned())
        .set(&fields.zone, "B".to_owned())
        .await
        .expect_err("partial");
    assert!(refusal_of_pass(&upsert).starts_with(expected), "{upsert}");
    let update = db
        .update::<Pass>("p1".to_owned())
        .set(&fields.zone, "B".to_owned())
        .await
        .expect_err("partial");
    assert!(refusal_of_pass(&update).starts_with(expected), "{update}");
    // An upsert of a missing pass too: it would create the key from a
    // value an existing pass would not hold, and cannot tell which.
    let missing = db
        .upsert::<Pass>("p2".to_owned())
        .set(&fields.event, "e1".to_owned())
        .set(&fields.zone, "B".to_owned())
        .await
        .expect_err("partial");
    assert!(refusal_of_pass(&missing).starts_with(expected), "{missing}");
    assert_eq!(raw_item::<Pass>(&db, &"p2".to_owned()).await, None);
    assert_eq!(raw_item::<Pass>(&db, &created.key()).await, before);
    assert_eq!(in_zone(&db, "A").await, ["p1"]);
    // A wrong stored value fails the condition; nothing is written.
    let wrong = db
        .upsert::<Pass>("p1".to_owned())
        .set(&fields.event, "e1".to_owned())
        .set(&fields.zone, "B".to_owned())
        .composite(&fields.serial, "01J0000000000000000000000X".to_owned())
        .await
        .expect_err("not the stored serial");
    assert!(
        matches!(wrong, Error::ConditionFailed { model: "Pass", .. }),
        "{wrong:?}"
    );
    assert_eq!(raw_item::<Pass>(&db, &created.key()).await, before);
    // The stored value, given: the item moves to zone B in the index, with
    // the key a put of it stores.
    db.upsert::<Pass>("p1".to_owned())
        .set(&fields.event, "e1".to_owned())
        .set(&fields.zone, "B".to_owned())
        .composite(&fields.serial, created.serial.clone())
        .await
        .expect("upsert with the stored serial");
    assert_eq!(in_zone(&db, "A").await, Vec::<String>::new());
    assert_eq!(in_zone(&db, "B").await, ["p1"]);
    let upserted = raw_item::<Pass>(&db, &created.key()).await;
    let moved = Pass {
        zone: "B".into(),
        ..created.clone()
    };
    db.put(&moved).await.expect("put");
    assert_eq!(upserted, raw_item::<Pass>(&db, &created.key()).await);
}

#[tokio::test]
async fn composite_of_a_key_field_no_index_names_is_refused_as_the_key_before_sending() {
    let db = db_with_table::<Invite>("cmp_composite_key").await;
    let fields = Invite::fields();
    let upsert = || {
        db.upsert::<Invite>("i1".to_owned())
            .set(&fields.team, "red".to_owned())
    };
    // Refused while building the request: nothing could be sent.
    let refused = upsert()
        .composite(&fields.id, "i1".to_owned())
        .to_request()
        .expect_err("the hash key");
    match &refused {
        Error::InvalidRequest { model, message } => {
            assert_eq!(*model, "Invite");
            assert!(
                message.starts_with(
                    "`id` is given to `composite()` but is part of the primary key, which an update cannot change"
                ),
                "{message}"
            );
        }
        other => panic!("{other:?}"),
    }
    let sent = upsert()
        .composite(&fields.id, "i1".to_owned())
        .await
        .expect_err("refused when awaited too");
    assert_eq!(sent.to_string(), refused.to_string());
    assert_eq!(raw_item::<Invite>(&db, &"i1".to_owned()).await, None);
}
