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
