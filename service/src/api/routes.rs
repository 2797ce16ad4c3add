//! The routes: method and path to handler, and each handler over the
//! shop's access patterns.
//!
//! | route | what it does (requests sent) |
//! |---|---|
//! | `POST /customers` | creates a customer, 409 if the id is taken (PutItem, conditional) |
//! | `GET /customers/{id}` | a customer (GetItem) |
//! | `POST /customers/{id}/orders` | places an order: one transaction writing the order and its lines, checking that the customer exists (TransactWriteItems) |
//! | `GET /customers/{id}/orders?limit=&cursor=` | the customer's orders, newest first, a page at a time (Query) |
//! | `GET /orders/{id}` | an order with its lines (one collection Query of `gsi2`) |
//! | `PATCH /orders/{id}` | changes an order's status if its version is the one sent (Query of `gsi2`, then UpdateItem conditioned on the version, rewriting `gsi1pk`) |

use chrono::{SubsecRound, Utc};
use dynamodel::{Db, Model};
use lambda_http::http::{Method, StatusCode};
use lambda_http::{Body, Request, Response};
use serde::de::DeserializeOwned;

use dynamodel_examples::shop::models::{Customer, Order, OrderLine, OrderSortKey, OrderStatus};
use dynamodel_examples::shop::patterns;

use super::dto::{
    CustomerBody, NewCustomer, NewOrder, OrderBody, OrderPageBody, OrderWithLinesBody, StatusChange,
};
use super::error::{ApiError, FieldError};
use super::json_response;

/// Most lines an order may have: a transaction holds at most 100 actions,
/// one of which checks the customer and one writes the order.
pub const MAX_LINES: usize = 98;
/// Orders per page when `limit` is not given.
pub const DEFAULT_PAGE_SIZE: u32 = 20;
/// Most orders per page.
pub const MAX_PAGE_SIZE: u32 = 100;
/// Longest id accepted in a path.
const MAX_ID_LEN: usize = 64;

type Reply = Result<Response<Body>, ApiError>;

/// Runs the route `request` names.
pub async fn route(db: &Db, request: &Request) -> Reply {
    let path = request.uri().path();
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    let method = request.method();
    match segments.as_slice() {
        ["customers"] if method == Method::POST => create_customer(db, request).await,
        ["customers", id] if method == Method::GET => {
            get_customer(db, path_id(id, "customer_id")?).await
        }
        ["customers", id, "orders"] if method == Method::POST => {
            place_order(db, path_id(id, "customer_id")?, request).await
        }
        ["customers", id, "orders"] if method == Method::GET => {
            list_orders(db, path_id(id, "customer_id")?, request).await
        }
        ["orders", id] if method == Method::GET => get_order(db, path_id(id, "order_id")?).await,
        ["orders", id] if method == Method::PATCH => {
            change_status(db, path_id(id, "order_id")?, request).await
        }
        _ => Err(ApiError::NoRoute),
    }
}

/// An id from the path: 1 to 64 ASCII letters, digits, `-` or `_` (no
/// decoding needed, nothing that could change a key's shape).
pub fn path_id<'a>(segment: &'a str, parameter: &'static str) -> Result<&'a str, ApiError> {
    let valid = !segment.is_empty()
        && segment.len() <= MAX_ID_LEN
        && segment
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if valid {
        Ok(segment)
    } else {
        Err(ApiError::InvalidPath { parameter })
    }
}

/// The request's JSON body as `T`; errors name the field, never the value.
fn body<T: DeserializeOwned>(request: &Request) -> Result<T, ApiError> {
    let bytes: &[u8] = request.body().as_ref();
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut deserializer)?;
    deserializer
        .end()
        .map_err(|_| ApiError::InvalidJson { path: None })?;
    Ok(value)
}

async fn create_customer(db: &Db, request: &Request) -> Reply {
    let new: NewCustomer = body(request)?;
    path_id(&new.customer_id, "customer_id").map_err(|_| {
        ApiError::Validation(vec![FieldError::new(
            "customer_id",
            "regex",
            "1 to 64 letters, digits, '-' or '_'",
        )])
    })?;
    let customer = Customer {
        customer_id: new.customer_id,
        name: new.name,
        email: new.email,
    };
    db.create(&customer).await?;
    Ok(json_response(
        StatusCode::CREATED,
        &CustomerBody::from(customer),
    ))
}

async fn get_customer(db: &Db, customer_id: &str) -> Reply {
    match patterns::customer(db, customer_id).await? {
        Some(customer) => Ok(json_response(StatusCode::OK, &CustomerBody::from(customer))),
        None => Err(ApiError::NotFound {
            resource: "customer",
        }),
    }
}

/// The order's lines, numbered from 1, validated with the model's rules
/// (paths `lines[i].field`), and their total.
fn order_lines(
    customer_id: &str,
    order_id: &str,
    new: &NewOrder,
) -> Result<(Vec<OrderLine>, i64), ApiError> {
    if new.lines.is_empty() || new.lines.len() > MAX_LINES {
        return Err(ApiError::Validation(vec![FieldError::new(
            "lines",
            "length",
            format!("an order has 1 to {MAX_LINES} lines"),
        )]));
    }
    let mut failures = Vec::new();
    let mut lines = Vec::with_capacity(new.lines.len());
    let mut total: Option<i64> = Some(0);
    for (index, (line_no, line)) in (1u16..).zip(&new.lines).enumerate() {
        let line = OrderLine {
            customer_id: customer_id.to_owned(),
            order_id: order_id.to_owned(),
            line_no,
            sku: line.sku.clone(),
            quantity: line.quantity,
            unit_price_cents: line.unit_price_cents,
        };
        if let Err(errors) = line.validate() {
            failures.extend(FieldError::from_validation(
                &format!("lines[{index}]."),
                &errors,
            ));
        }
        total = total.and_then(|sum| {
            line.unit_price_cents
                .checked_mul(i64::from(line.quantity))
                .and_then(|amount| sum.checked_add(amount))
        });
        lines.push(line);
    }
    if total.is_none() {
        failures.push(FieldError::new(
            "lines",
            "range",
            "the order's total does not fit 64 bits of cents",
        ));
    }
    match total {
        Some(total) if failures.is_empty() => Ok((lines, total)),
        _ => Err(ApiError::Validation(failures)),
    }
}

async fn place_order(db: &Db, customer_id: &str, request: &Request) -> Reply {
    let new: NewOrder = body(request)?;
    // Time-ordered ids: two orders placed in the same instant still sort.
    let order_id = uuid::Uuid::now_v7().to_string();
    let (lines, total_cents) = order_lines(customer_id, &order_id, &new)?;
    let order = Order {
        customer_id: customer_id.to_owned(),
        // The key stores milliseconds.
        placed_at: Utc::now().trunc_subsecs(3),
        order_id,
        status: OrderStatus::Pending,
        total_cents,
        ship_to: new.ship_to,
        version: 0,
    };
    let customer_exists = Customer::fields().customer_id.exists();
    let written = db
        .transact_write()
        .condition_check::<Customer>(customer_id.to_owned(), customer_exists)
        .create(db.create(&order))
        .create_all(lines.iter().map(|line| db.create(line)))
        .await;
    if let Err(err) = written {
        // The check on the customer (action 0) failing means no customer.
        let no_customer = err.cancellation_reasons().is_some_and(|reasons| {
            reasons
                .first()
                .is_some_and(|reason| reason.is_failure() && reason.action == "condition_check")
        });
        if no_customer {
            return Err(ApiError::NotFound {
                resource: "customer",
            });
        }
        return Err(err.into());
    }
    let order = Order {
        version: 1,
        ..order
    };
    let body = OrderWithLinesBody {
        order: order.into(),
        lines: lines.into_iter().map(Into::into).collect(),
    };
    Ok(json_response(StatusCode::CREATED, &body))
}

/// `limit` and `cursor` from the query string.
fn page_parameters(request: &Request) -> Result<(u32, Option<String>), ApiError> {
    let mut limit = DEFAULT_PAGE_SIZE;
    let mut cursor = None;
    let query = request.uri().query().unwrap_or_default();
    for (name, value) in form_urlencoded::parse(query.as_bytes()) {
        match name.as_ref() {
            "limit" => {
                limit = value
                    .parse::<u32>()
                    .ok()
                    .filter(|n| (1..=MAX_PAGE_SIZE).contains(n))
                    .ok_or_else(|| {
                        ApiError::Validation(vec![FieldError::new(
                            "limit",
                            "range",
                            format!("an integer from 1 to {MAX_PAGE_SIZE}"),
                        )])
                    })?;
            }
            "cursor" => cursor = Some(value.into_owned()),
            _ => {}
        }
    }
    Ok((limit, cursor))
}

async fn list_orders(db: &Db, customer_id: &str, request: &Request) -> Reply {
    let (limit, cursor) = page_parameters(request)?;
    let mut query = db
        .query::<Order>(customer_id)
        .sort_begins_with(OrderSortKey::prefix())
        .descending()
        .limit(limit);
    if let Some(cursor) = cursor {
        query = query.start_from(cursor);
    }
    let page = query.strict().fill(limit as usize).await?;
    let body = OrderPageBody {
        orders: page.items.into_iter().map(Into::into).collect(),
        next_cursor: page.cursor,
    };
    Ok(json_response(StatusCode::OK, &body))
}

async fn get_order(db: &Db, order_id: &str) -> Reply {
    let Some((order, lines)) = patterns::order_with_lines(db, order_id).await? else {
        return Err(ApiError::NotFound { resource: "order" });
    };
    let body = OrderWithLinesBody {
        order: order.into(),
        lines: lines.into_iter().map(Into::into).collect(),
    };
    Ok(json_response(StatusCode::OK, &body))
}

async fn change_status(db: &Db, order_id: &str, request: &Request) -> Reply {
    let change: StatusChange = body(request)?;
    // The index finds the order's key by its id (the key never changes, so
    // an index read lagging the table still gives the right one).
    let found = db
        .query_index(Order::indexes().gsi2, order_id)
        .strict()
        .all()
        .await?;
    let Some(indexed) = found.into_iter().next() else {
        return Err(ApiError::NotFound { resource: "order" });
    };
    // One update: it stores only if the stored version is still the one
    // the client read, and, the status composing `gsi1`'s key, rewrites
    // `gsi1pk` from the new status (as a put would).
    let key = (indexed.customer_id, indexed.placed_at, indexed.order_id);
    let stored = patterns::set_order_status(db, key, change.status.into(), change.version).await?;
    Ok(json_response(StatusCode::OK, &OrderBody::from(stored)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_ids_are_short_plain_ascii() {
        assert_eq!(path_id("c-1_A9", "customer_id"), Ok("c-1_A9"));
        let long = "a".repeat(MAX_ID_LEN);
        assert!(path_id(&long, "customer_id").is_ok());
        let too_long = "a".repeat(MAX_ID_LEN + 1);
        for bad in ["", "a#b", "a b", "é", "a%2F", too_long.as_str()] {
            assert_eq!(
                path_id(bad, "order_id"),
                Err(ApiError::InvalidPath {
                    parameter: "order_id"
                }),
                "{bad:?}"
            );
        }
    }

    fn request(uri: &str) -> Request {
        lambda_http::http::Request::builder()
            .uri(uri)
            .body(Body::Empty)
            .expect("a request")
    }

    #[test]
    fn page_parameters_default_and_bound_the_limit() {
        assert_eq!(
            page_parameters(&request("/customers/c/orders")),
            Ok((DEFAULT_PAGE_SIZE, None))
        );
        assert_eq!(
            page_parameters(&request("/x?limit=1&cursor=a-b_c")),
            Ok((1, Some("a-b_c".into())))
        );
        assert_eq!(
            page_parameters(&request("/x?limit=100")),
            Ok((MAX_PAGE_SIZE, None))
        );
        for bad in ["0", "101", "-1", "ten"] {
            let err = page_parameters(&request(&format!("/x?limit={bad}"))).unwrap_err();
            assert!(
                matches!(err, ApiError::Validation(ref f) if f[0].path == "limit"),
                "{bad}"
            );
        }
    }

    fn new_order(lines: Vec<(u32, i64)>) -> NewOrder {
        NewOrder {
            ship_to: "home".into(),
            lines: lines
                .into_iter()
                .map(|(quantity, unit_price_cents)| super::super::dto::NewLine {
                    sku: "SKU".into(),
                    quantity,
                    unit_price_cents,
                })
                .collect(),
        }
    }

    #[test]
    fn order_lines_are_numbered_totalled_and_validated_with_request_paths() {
        let (lines, total) =
            order_lines("c", "o", &new_order(vec![(2, 150), (1, 1_000)])).expect("valid");
        assert_eq!(total, 1_300);
        assert_eq!(lines.iter().map(|l| l.line_no).collect::<Vec<_>>(), [1, 2]);

        let Err(ApiError::Validation(fields)) =
            order_lines("c", "o", &new_order(vec![(1, 1), (0, -5)]))
        else {
            panic!("expected a validation error");
        };
        let paths: Vec<_> = fields.iter().map(|f| (f.path.as_str(), f.rule)).collect();
        assert_eq!(
            paths,
            [
                ("lines[1].quantity", "range"),
                ("lines[1].unit_price_cents", "range")
            ]
        );

        let Err(ApiError::Validation(fields)) = order_lines("c", "o", &new_order(vec![])) else {
            panic!("expected a validation error");
        };
        assert_eq!(fields[0].path, "lines");

        let Err(ApiError::Validation(fields)) =
            order_lines("c", "o", &new_order(vec![(1000, i64::MAX)]))
        else {
            panic!("expected a validation error");
        };
        assert_eq!(
            (fields[0].path.as_str(), fields[0].rule),
            ("lines", "range")
        );

        let many = vec![(1, 1); MAX_LINES + 1];
        assert!(order_lines("c", "o", &new_order(many)).is_err());
        assert!(order_lines("c", "o", &new_order(vec![(1, 1); MAX_LINES])).is_ok());
    }
}
