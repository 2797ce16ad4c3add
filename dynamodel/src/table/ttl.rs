//! Reading around DynamoDB's TTL: an item whose TTL attribute (epoch
//! seconds) is at or before now has expired, but DynamoDB deletes expired
//! items in the background, typically within a few days, so reads still
//! return them until then. Reads with `skip_expired()` leave them out: a
//! query or scan with a filter (`attribute_not_exists(ttl) OR ttl > now`),
//! a get by checking the item it received.

use std::time::{SystemTime, UNIX_EPOCH};

use aws_sdk_dynamodb::types::AttributeValue;

use crate::expr::ExprBuilder;
use crate::{Item, Model};

/// A model with a `#[dynamodel(ttl)]` attribute: what `skip_expired()`
/// needs. Implemented by the derive.
#[diagnostic::on_unimplemented(
    message = "`{Self}` has no TTL attribute, so it has no expired items to skip",
    label = "`skip_expired` needs a TTL attribute",
    note = "mark the expiry field of `{Self}` with #[dynamodel(ttl)] (epoch seconds or a date-time)"
)]
pub trait HasTtl: Model {}

/// The filter keeping items without `attribute` or with it after `now`,
/// its name and value through `builder`'s placeholders.
pub(crate) fn unexpired_filter(builder: &mut ExprBuilder, attribute: &str, now: i64) -> String {
    let name = builder.name(attribute);
    let now = builder.value(AttributeValue::N(now.to_string()));
    format!("(attribute_not_exists({name}) OR {name} > {now})")
}

/// The clock as whole seconds since the Unix epoch (0 before 1970).
pub(crate) fn now_epoch_seconds() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

/// Whether `item` has expired at `now` (epoch seconds) by its `attribute`.
/// An item without the attribute, or with a value that is not a number
/// (DynamoDB's TTL ignores those too), never expires.
pub(crate) fn is_expired(item: &Item, attribute: &str, now: i64) -> bool {
    match item.get(attribute) {
        Some(AttributeValue::N(text)) => text
            .parse::<f64>()
            .is_ok_and(|expires| expires <= now as f64),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(ttl: Option<AttributeValue>) -> Item {
        let mut item = Item::new();
        item.insert("id".into(), AttributeValue::S("a".into()));
        if let Some(ttl) = ttl {
            item.insert("expires".into(), ttl);
        }
        item
    }

    #[test]
    fn expired_at_and_before_now_only() {
        let n = |s: &str| Some(AttributeValue::N(s.into()));
        assert!(is_expired(&item(n("99")), "expires", 100));
        assert!(is_expired(&item(n("100")), "expires", 100));
        assert!(!is_expired(&item(n("101")), "expires", 100));
        assert!(!is_expired(&item(n("100.5")), "expires", 100));
    }

    #[test]
    fn no_number_no_expiry() {
        assert!(!is_expired(&item(None), "expires", 100));
        assert!(!is_expired(
            &item(Some(AttributeValue::S("1".into()))),
            "expires",
            100
        ));
        assert!(!is_expired(
            &item(Some(AttributeValue::N("x".into()))),
            "expires",
            100
        ));
    }

    #[test]
    fn the_filter_goes_through_placeholders() {
        let mut builder = ExprBuilder::new();
        let filter = unexpired_filter(&mut builder, "expires", 1_700_000_000);
        assert!(!filter.contains("expires") && !filter.contains("1700000000"));
        let names = builder.names().unwrap_or_default();
        let values = builder.values().unwrap_or_default();
        let name = names
            .iter()
            .find(|(_, v)| *v == "expires")
            .map(|(k, _)| k.clone());
        let value = values
            .iter()
            .find(|(_, v)| **v == AttributeValue::N("1700000000".into()))
            .map(|(k, _)| k.clone());
        let (Some(name), Some(value)) = (name, value) else {
            panic!("placeholders missing: {filter}");
        };
        assert_eq!(
            filter,
            format!("(attribute_not_exists({name}) OR {name} > {value})")
        );
    }

    #[test]
    fn the_clock_is_after_2020() {
        assert!(now_epoch_seconds() > 1_577_836_800);
    }
}
