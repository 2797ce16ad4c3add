//! Projections: a struct of some of a model's attributes that reads decode
//! into, so that only those attributes travel (`ProjectionExpression`).
//!
//! A projection is a struct deriving `Model` with
//! `#[dynamodel(projection_of = User)]`; each of its fields must be a
//! field of `User` with the same type (a compile error otherwise, at the
//! field). Every read of `User` then takes it: `.project::<UserName>()` on
//! [`crate::Db::get`], [`crate::Db::batch_get`], queries and scans, and
//! [`crate::ops::TransactGet::get_projected`].
//!
//! ```no_run
//! # use dynamodel::{Db, Model};
//! #[derive(Model, Debug)]
//! #[dynamodel(table = "users")]
//! struct User {
//!     #[dynamodel(hash_key)]
//!     id: String,
//!     name: String,
//!     bio: String,
//! }
//!
//! #[derive(Model, Debug)]
//! #[dynamodel(table = "users", projection_of = User)]
//! struct UserName {
//!     #[dynamodel(hash_key)]
//!     id: String,
//!     name: String,
//! }
//! # async fn demo(db: Db) -> dynamodel::Result<()> {
//! let name: Option<UserName> = db.get::<User>("u-1").project::<UserName>().await?;
//! # let _ = name;
//! # Ok(())
//! # }
//! ```
//!
//! # Guarantees
//!
//! - The request names the projection's attributes, the key attributes,
//!   and what the read itself needs: on a point read (get, batch get,
//!   transaction get) the entity attributes of an entity model, so that an
//!   item of another entity under the key is still "not found", and with
//!   `skip_expired` the TTL attribute, so that an expired item is still
//!   skipped. Those extra attributes are removed before the item is
//!   decoded. Queries and scans filter on the server, before projecting,
//!   so they need no extra attribute.
//! - Every name goes through a placeholder (`#n0, #n1`).
//! - The projection decodes through the read pipeline (`get` transforms,
//!   `after_load`) of the projection struct, not of the model.

use crate::expr::ExprBuilder;
use crate::query::Queryable;
use crate::{Item, Model};

/// Marks `Self` as a projection of model `M`: a struct of some of `M`'s
/// attributes. Implemented by `#[dynamodel(projection_of = M)]`, which
/// checks each field against `M` at compile time.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a projection of `{M}`",
    label = "not declared a projection of `{M}`",
    note = "declare it on the struct: `#[dynamodel(projection_of = {M})]` (each of its fields must then be a field of `{M}`)"
)]
pub trait ProjectionOf<M: Model>: Queryable {}

/// The attributes a point read of `M` projected to `projected` asks for:
/// those, `M`'s key attributes, `M`'s entity attributes, and the TTL
/// attribute when `ttl` (a `skip_expired` read), each once.
pub(crate) fn point_read_attributes<M: Model>(
    projected: &[&'static str],
    ttl: bool,
) -> Vec<&'static str> {
    let mut names: Vec<&'static str> = projected.to_vec();
    let entity = M::ENTITY.into_iter().flat_map(|e| e.attributes());
    let ttl = M::ttl_attribute().filter(|_| ttl);
    for name in M::key_schema().names().into_iter().chain(entity).chain(ttl) {
        if !names.contains(&name) {
            names.push(name);
        }
    }
    names
}

/// `names` as a `ProjectionExpression`, every name through a placeholder.
pub(crate) fn render(names: &[&str], builder: &mut ExprBuilder) -> String {
    names
        .iter()
        .map(|name| builder.name(name))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Removes from `item` the attributes a point read of `M` asked for only
/// to check the entity or the TTL, which the projection `projected` does
/// not hold.
pub(crate) fn strip_read_only<M: Model>(item: &mut Item, projected: &[&'static str]) {
    let entity = M::ENTITY.into_iter().flat_map(|e| e.attributes());
    for name in entity.chain(M::ttl_attribute()) {
        if !projected.contains(&name) {
            item.remove(name);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn render_uses_one_placeholder_per_name() {
        let mut builder = ExprBuilder::new();
        let expression = render(&["name", "id"], &mut builder);
        assert_eq!(expression, "#n0, #n1");
        let names = builder.names().unwrap_or_default();
        assert_eq!(names.get("#n0").map(String::as_str), Some("name"));
        assert_eq!(names.get("#n1").map(String::as_str), Some("id"));
    }
}
