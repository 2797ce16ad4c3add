//! Conditions on writes, both ways: rendering the conditions of a put,
//! create, delete, update or transaction action onto its [`Request`], and
//! mapping DynamoDB's `ConditionalCheckFailed` back to the typed error
//! ([`Error::ConditionFailed`], [`Error::VersionConflict`],
//! [`Error::AlreadyExists`], [`Error::NotFound`]).

use crate::expr::{Condition, ConditionNode, ExprBuilder, Path};
use crate::ops::Request;
use crate::{Error, Item, Model, Result};

/// `existing AND added` (or `added` alone): what each builder's
/// `.condition(...)` does when called again.
pub(crate) fn and<M: Model>(existing: Option<Condition<M>>, added: Condition<M>) -> Condition<M> {
    match existing {
        Some(existing) => existing.and(added),
        None => added,
    }
}

/// Renders `nodes`, ANDed in order, into `builder`: `None` when there are none.
pub(crate) fn render<M: Model>(
    mut nodes: Vec<ConditionNode>,
    builder: &mut ExprBuilder,
) -> Result<Option<String>> {
    let node = match nodes.len() {
        0 => return Ok(None),
        1 => nodes.remove(0),
        _ => ConditionNode::And(nodes),
    };
    Condition::<M>::from_node(node)
        .render_taking(builder)
        .map(Some)
}

/// Sets `request`'s condition expression (with its names and values) to
/// `nodes`, ANDed in order; leaves it without one when there are none.
pub(crate) fn apply<M: Model>(request: &mut Request, nodes: Vec<ConditionNode>) -> Result<()> {
    let mut builder = ExprBuilder::new();
    if let Some(expression) = render::<M>(nodes, &mut builder)? {
        builder.check(M::MODEL_NAME, &[("condition", Some(&expression))])?;
        let (names, values) = builder.into_parts();
        request.condition_expression = Some(expression);
        request.names = names;
        request.values = values;
    }
    Ok(())
}

/// Sets `request`'s condition to "no item has the key" (a create's, when
/// it is the only one): what [`apply`] renders for [`key_absent`], built
/// without the tree or a builder (see [`crate::expr::sole_not_exists`]).
pub(crate) fn apply_key_absent<M: Model>(request: &mut Request) -> Result<()> {
    match crate::expr::sole_not_exists(M::key_schema().hash.name) {
        Some((expression, names)) => {
            request.condition_expression = Some(expression);
            request.names = Some(names);
            request.values = None;
            Ok(())
        }
        None => apply::<M>(request, vec![key_absent::<M>().into_node()]),
    }
}

/// The condition "no item has the key": its partition key does not exist.
pub(crate) fn key_absent<M: Model>() -> Condition<M> {
    Condition::from_node(ConditionNode::NotExists(Path::attribute(
        M::key_schema().hash.name,
    )))
}

/// What a failed condition of a write means, beyond "the condition did not hold".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Expectation {
    /// Only the conditions given (put, delete, upsert).
    Conditions,
    /// No item with the key (create): a failure means it exists.
    Absent,
    /// An existing item (update): a failure without an item means none.
    Present,
}

/// The error for a write whose `ConditionalCheckFailed` came back with the
/// stored `item` (asked with `ALL_OLD`): [`Error::NotFound`] for an update of
/// a missing item, [`Error::VersionConflict`] when the stored version is not
/// `expected_version`, [`Error::AlreadyExists`] for a create, otherwise
/// [`Error::ConditionFailed`] carrying the item.
pub(crate) fn failed<M: Model>(
    table: &str,
    operation: &'static str,
    expectation: Expectation,
    expected_version: Option<i128>,
    item: Option<Item>,
) -> Error {
    tracing::debug!(
        model = M::MODEL_NAME,
        operation,
        found_item = item.is_some(),
        "condition failed"
    );
    if expectation == Expectation::Present && item.is_none() {
        return Error::NotFound {
            model: M::MODEL_NAME,
            table: table.to_owned(),
        };
    }
    if let Some(expected) = expected_version {
        if crate::version::conflicted::<M>(expected, item.as_ref()) {
            return crate::version::conflict::<M>(table, operation, expected, item);
        }
    }
    if expectation == Expectation::Absent {
        return Error::AlreadyExists {
            model: M::MODEL_NAME,
            table: table.to_owned(),
        };
    }
    Error::ConditionFailed {
        model: M::MODEL_NAME,
        table: table.to_owned(),
        operation,
        item: item.map(crate::redact::RedactedItem::new),
    }
}
