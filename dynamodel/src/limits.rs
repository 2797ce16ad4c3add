//! DynamoDB's limits, in one place, with the checks dynamodel runs against
//! them before sending anything.
//!
//! Every operation checks here what it can know before sending: item sizes
//! and key values (the write pipeline), how many writes or keys go in one
//! batch request, how many actions a transaction takes and how long its
//! client request token may be. A broken limit is a typed error naming the
//! model (and attribute, for keys) instead of a service error; attribute
//! values never appear in it.

use crate::{AttributeValue, Error, Item, Model, Result};

/// DynamoDB's largest item: 400 KB, attribute names included.
pub const MAX_ITEM_SIZE: usize = 400 * 1024;

/// Most bytes in a partition key value (of the table or an index).
pub const MAX_PARTITION_KEY_BYTES: usize = 2048;

/// Most bytes in a sort key value (of the table or an index).
pub const MAX_SORT_KEY_BYTES: usize = 1024;

/// Most write requests in one `BatchWriteItem`.
pub const MAX_BATCH_WRITE: usize = 25;

/// Most keys in one `BatchGetItem`.
pub const MAX_BATCH_GET: usize = 100;

/// Most bytes in one `BatchWriteItem` request or `BatchGetItem` response.
///
/// Not checked: [`MAX_BATCH_WRITE`] items of at most [`MAX_ITEM_SIZE`] stay
/// under it, and DynamoDB caps a read response itself by returning the rest
/// as unprocessed keys, which batches retry.
pub const MAX_BATCH_BYTES: usize = 16 * 1024 * 1024;

// A full write batch of the largest items fits in one request.
const _: () = assert!(MAX_BATCH_WRITE * MAX_ITEM_SIZE <= MAX_BATCH_BYTES);

/// Most actions in one transaction (`TransactWriteItems` or `TransactGetItems`).
pub const MAX_TRANSACTION_ACTIONS: usize = 100;

/// Most bytes of items in one transaction. Not checked before sending (an
/// update's resulting size is only known to DynamoDB), which refuses a
/// larger transaction with a validation error.
pub const MAX_TRANSACTION_BYTES: usize = 4 * 1024 * 1024;

/// Most characters in a transaction's client request token (at least 1).
pub const MAX_CLIENT_REQUEST_TOKEN_LEN: usize = 36;

/// The size of an item as DynamoDB counts it against the 400 KB limit: for
/// every attribute, the UTF-8 bytes of its name plus the size of its value.
pub fn item_size(item: &Item) -> usize {
    item.iter()
        .map(|(name, value)| name.len() + value_size(value))
        .sum()
}

/// The size of one value under DynamoDB's rules: strings and binaries by
/// their bytes, numbers 1 byte per two significant digits plus 1, booleans
/// and nulls 1 byte, lists and maps 3 bytes plus 1 per element plus the
/// elements (and map keys), sets the sum of their elements.
pub fn value_size(value: &AttributeValue) -> usize {
    match value {
        AttributeValue::S(s) => s.len(),
        AttributeValue::N(n) => number_size(n),
        AttributeValue::B(b) => b.as_ref().len(),
        AttributeValue::Bool(_) | AttributeValue::Null(_) => 1,
        AttributeValue::L(list) => 3 + list.iter().map(|v| 1 + value_size(v)).sum::<usize>(),
        AttributeValue::M(map) => {
            3 + map
                .iter()
                .map(|(k, v)| 1 + k.len() + value_size(v))
                .sum::<usize>()
        }
        AttributeValue::Ss(set) => set.iter().map(String::len).sum(),
        AttributeValue::Ns(set) => set.iter().map(|n| number_size(n)).sum(),
        AttributeValue::Bs(set) => set.iter().map(|b| b.as_ref().len()).sum(),
        _ => 0,
    }
}

fn number_size(n: &str) -> usize {
    // Significant digits of the mantissa: from the first non-zero digit to
    // the last one (counted without allocating: this runs on every write).
    let mantissa = n.split(['e', 'E']).next().unwrap_or("");
    let (mut seen, mut first, mut last) = (0usize, None, 0usize);
    for b in mantissa.bytes().filter(u8::is_ascii_digit) {
        seen += 1;
        if b != b'0' {
            first.get_or_insert(seen);
            last = seen;
        }
    }
    let significant = first.map_or(0, |first| last - first + 1);
    significant.div_ceil(2) + 1
}

/// Refuses an item over DynamoDB's 400 KB limit before sending it.
pub fn check_item_size<M: Model>(item: &Item) -> Result<()> {
    let size = item_size(item);
    if size > MAX_ITEM_SIZE {
        return Err(Error::InvalidRequest {
            model: M::MODEL_NAME,
            message: format!(
                "the item is {size} bytes, over DynamoDB's limit of {MAX_ITEM_SIZE} bytes (400 KB)"
            ),
        });
    }
    Ok(())
}

/// Checks a key attribute's value against DynamoDB's limits (no empty string
/// or binary, at most [`MAX_PARTITION_KEY_BYTES`] for a partition key and
/// [`MAX_SORT_KEY_BYTES`] for a sort key), so a bad key is a typed error
/// naming the attribute instead of a service error.
pub fn check_key_value<M: Model>(name: &str, value: &AttributeValue) -> Result<()> {
    let len = match value {
        AttributeValue::S(s) => s.len(),
        AttributeValue::B(b) => b.as_ref().len(),
        _ => return Ok(()),
    };
    let (role, max) = match M::key_schema().range {
        Some(range) if range.name == name => ("sort", MAX_SORT_KEY_BYTES),
        _ => ("partition", MAX_PARTITION_KEY_BYTES),
    };
    let message = if len == 0 {
        format!("a {role} key cannot be empty")
    } else if len > max {
        format!("a {role} key holds at most {max} bytes, and this one has {len}")
    } else {
        return Ok(());
    };
    let mut errors = crate::settings::ValidationErrors::new();
    errors.add(name, "key", message);
    Err(Error::Validation {
        model: M::MODEL_NAME,
        errors,
    })
}

/// Refuses a transaction of `actions` actions outside 1 to
/// [`MAX_TRANSACTION_ACTIONS`]; `model` is the first action's.
pub(crate) fn check_transaction_actions(model: &'static str, actions: usize) -> Result<()> {
    if actions == 0 || actions > MAX_TRANSACTION_ACTIONS {
        return Err(Error::InvalidRequest {
            model,
            message: format!(
                "a transaction takes 1 to {MAX_TRANSACTION_ACTIONS} actions, got {actions}"
            ),
        });
    }
    Ok(())
}

/// Refuses a client request token outside 1 to
/// [`MAX_CLIENT_REQUEST_TOKEN_LEN`] characters.
pub(crate) fn check_client_request_token(model: &'static str, token: &str) -> Result<()> {
    if token.is_empty() || token.len() > MAX_CLIENT_REQUEST_TOKEN_LEN {
        return Err(Error::InvalidRequest {
            model,
            message: format!(
                "a client request token has 1 to {MAX_CLIENT_REQUEST_TOKEN_LEN} characters, got {}",
                token.len()
            ),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_follow_dynamodb_rules() {
        assert_eq!(number_size("1.75"), 3);
        assert_eq!(number_size("100"), 2);
        assert_eq!(number_size("-0.00100"), 2);
        assert_eq!(number_size("12345678901234567890"), 11);
        assert_eq!(number_size("0"), 1);
        assert_eq!(number_size("1.5E+20"), 2);
        assert_eq!(number_size("1000.0001"), 5);
        let item = Item::from([
            ("id".to_owned(), AttributeValue::S("abc".into())),
            ("ok".to_owned(), AttributeValue::Bool(true)),
            (
                "tags".to_owned(),
                AttributeValue::L(vec![
                    AttributeValue::S("x".into()),
                    AttributeValue::Null(true),
                ]),
            ),
        ]);
        // 2+3, 2+1, 4 + (3 + (1+1) + (1+1))
        assert_eq!(item_size(&item), 5 + 3 + 4 + 7);
    }
}
