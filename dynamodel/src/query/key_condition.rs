//! The sort-key part of a query's key condition, shared by the query
//! builders ([`super::read`]) and the automatic index choice ([`super::auto`]).

use crate::expr::Comparator;
use crate::AttributeValue;

/// A condition on the sort key, values already converted.
#[derive(Debug, Clone)]
pub(super) enum SortCond {
    Cmp(Comparator, AttributeValue),
    Between(AttributeValue, AttributeValue),
    BeginsWith(AttributeValue),
}

impl SortCond {
    /// The operator and values, as bytes a pagination cursor is bound to:
    /// equal for the same condition, different for any other.
    pub(super) fn fingerprint(&self) -> Vec<u8> {
        let (operator, values): (&str, &[&AttributeValue]) = match self {
            SortCond::Cmp(op, value) => (op.symbol(), &[value]),
            SortCond::Between(low, high) => ("BETWEEN", &[low, high]),
            SortCond::BeginsWith(prefix) => ("begins_with", &[prefix]),
        };
        let mut out = operator.as_bytes().to_vec();
        for value in values {
            // Non-key types cannot get here (their conversion error is deferred
            // and returned first); a marker keeps them distinct anyway.
            if crate::schema::key_value_bytes(&mut out, value).is_none() {
                out.push(0);
            }
        }
        out
    }
}
