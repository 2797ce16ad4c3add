//! Choosing the table or index a condition can be queried on.

use super::index::Queryable;
use super::key_condition::SortCond;
use crate::expr::{Comparator, Condition, ConditionNode, Operand, PathElement};
use crate::schema::IndexSchema;
use crate::schema::KeySchema;
use crate::{AttributeValue, Error};

/// Where and how to run a query chosen from a condition.
pub(super) struct Choice<M> {
    pub index: Option<IndexSchema>,
    pub hash: (&'static str, AttributeValue),
    pub sort: Option<SortCond>,
    pub filter: Option<Condition<M>>,
}

/// A part of the condition that could be a key condition.
enum KeyPart {
    Cmp(Comparator, AttributeValue),
    Between(AttributeValue, AttributeValue),
    BeginsWith(AttributeValue),
}

struct Part {
    node: ConditionNode,
    key: Option<(String, KeyPart)>,
}

fn top_attribute(path: &crate::expr::Path) -> Option<&str> {
    match path.elements() {
        [PathElement::Attribute(name)] => Some(name),
        _ => None,
    }
}

fn value<M: Queryable>(operand: &Operand) -> Result<Option<AttributeValue>, Error> {
    match operand {
        Operand::Value { attribute, value } => match value {
            Ok(value) => Ok(Some(value.clone())),
            Err(source) => Err(Error::Encode {
                model: M::MODEL_NAME,
                attribute: attribute.display_name(),
                source: source.clone(),
            }),
        },
        _ => Ok(None),
    }
}

fn classify<M: Queryable>(node: ConditionNode) -> Result<Part, Error> {
    let key = match &node {
        ConditionNode::Compare(Operand::Path(path), op, right) if *op != Comparator::Ne => {
            match (top_attribute(path), value::<M>(right)?) {
                (Some(name), Some(v)) => Some((name.to_owned(), KeyPart::Cmp(*op, v))),
                _ => None,
            }
        }
        ConditionNode::Between(Operand::Path(path), low, high) => {
            match (top_attribute(path), value::<M>(low)?, value::<M>(high)?) {
                (Some(name), Some(low), Some(high)) => {
                    Some((name.to_owned(), KeyPart::Between(low, high)))
                }
                _ => None,
            }
        }
        ConditionNode::BeginsWith(path, prefix) => match (top_attribute(path), value::<M>(prefix)?)
        {
            (Some(name), Some(v)) => Some((name.to_owned(), KeyPart::BeginsWith(v))),
            _ => None,
        },
        _ => None,
    };
    Ok(Part { node, key })
}

fn describe(name: &str, keys: &KeySchema) -> String {
    match keys.range {
        Some(range) => format!("{name}({}, {})", keys.hash.name, range.name),
        None => format!("{name}({})", keys.hash.name),
    }
}

pub(super) fn choose<M: Queryable>(condition: Condition<M>) -> Result<Choice<M>, Error> {
    let mut node = condition.into_node();
    let nodes = match &mut node {
        ConditionNode::And(parts) => std::mem::take(parts),
        _ => vec![node],
    };
    let mut parts = nodes
        .into_iter()
        .map(classify::<M>)
        .collect::<Result<Vec<_>, _>>()?;
    let candidates: Vec<(Option<IndexSchema>, KeySchema)> =
        std::iter::once((None, M::key_schema()))
            .chain(
                // A multi-attribute index key is queried by its handle only.
                M::index_schemas()
                    .iter()
                    .copied()
                    .filter(|i| !i.is_multi_attribute())
                    .map(|i| (Some(i), i.key_schema())),
            )
            .collect();
    let describe_all = || {
        candidates
            .iter()
            .map(|(index, keys)| describe(index.map(|i| i.name).unwrap_or("table"), keys))
            .collect::<Vec<_>>()
    };
    let find = |parts: &[Part], attr: &str, eq_only: bool, skip: Option<usize>| {
        parts.iter().enumerate().position(|(i, part)| {
            Some(i) != skip
                && matches!(&part.key, Some((name, kind)) if name == attr
                    && (!eq_only || matches!(kind, KeyPart::Cmp(Comparator::Eq, _))))
        })
    };
    // (candidate, hash part, range part)
    let matches: Vec<(usize, usize, Option<usize>)> = candidates
        .iter()
        .enumerate()
        .filter_map(|(c, (_, keys))| {
            let hash = find(&parts, keys.hash.name, true, None)?;
            let range = keys
                .range
                .and_then(|range| find(&parts, range.name, false, Some(hash)));
            Some((c, hash, range))
        })
        .collect();
    if matches.is_empty() {
        return Err(Error::IndexChoice {
            model: M::MODEL_NAME,
            message: "the condition compares no partition key of the table or an index with `=` \
                      (a query needs one; dynamodel does not fall back to a scan)"
                .to_owned(),
            candidates: describe_all(),
        });
    }
    let with_range: Vec<_> = matches.iter().filter(|m| m.2.is_some()).copied().collect();
    let chosen = if with_range.len() == 1 {
        with_range[0]
    } else if with_range.is_empty() && matches.len() == 1 {
        matches[0]
    } else if with_range.is_empty() && matches[0].0 == 0 {
        // Only the partition key is constrained and it is the table's: query the table.
        matches[0]
    } else {
        let tied = if with_range.is_empty() {
            &matches
        } else {
            &with_range
        };
        return Err(Error::IndexChoice {
            model: M::MODEL_NAME,
            message: "the condition fits several indexes equally; name one with `query_index`"
                .to_owned(),
            candidates: tied
                .iter()
                .map(|(c, _, _)| {
                    let (index, keys) = &candidates[*c];
                    describe(index.map(|i| i.name).unwrap_or("table"), keys)
                })
                .collect(),
        });
    };
    let (c, hash_part, range_part) = chosen;
    let (index, keys) = candidates[c];
    let mut take = |i: usize| parts[i].key.take().map(|(_, kind)| kind);
    let hash = match take(hash_part) {
        Some(KeyPart::Cmp(_, value)) => (keys.hash.name, value),
        _ => {
            return Err(Error::InvalidRequest {
                model: M::MODEL_NAME,
                message: "internal: the chosen partition key condition vanished".to_owned(),
            })
        }
    };
    let sort = range_part.and_then(take).map(|kind| match kind {
        KeyPart::Cmp(op, value) => SortCond::Cmp(op, value),
        KeyPart::Between(low, high) => SortCond::Between(low, high),
        KeyPart::BeginsWith(prefix) => SortCond::BeginsWith(prefix),
    });
    let rest: Vec<ConditionNode> = parts
        .into_iter()
        .enumerate()
        .filter(|(i, _)| *i != hash_part && Some(*i) != range_part)
        .map(|(_, part)| part.node)
        .collect();
    let filter = match rest.len() {
        0 => None,
        1 => rest.into_iter().next().map(Condition::from_node),
        _ => Some(Condition::from_node(ConditionNode::And(rest))),
    };
    Ok(Choice {
        index,
        hash,
        sort,
        filter,
    })
}
