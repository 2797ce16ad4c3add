//! DynamoDB's limits, in one place, with the checks dynamodel runs against
//! them before sending anything.
//!
//! Every operation checks here what it can know before sending: item sizes
//! and key values of the table and of its secondary indexes (the write
//! pipeline, and the values an update writes), attribute names and map keys
//! in expressions, the length of expressions and the depth of conditions,
//! how many writes or keys go in one batch request, how many actions a
//! transaction takes, how many bytes it sends and how long its client
//! request token may be. A broken limit is a typed error naming the model
//! (and the attribute, for per-attribute limits: [`Error::Validation`]; the
//! whole-request limits are [`Error::LimitExceeded`]) instead of a service
//! error; attribute values never appear in it. What DynamoDB still refuses
//! comes back as [`Error::Rejected`] with its message.

use aws_sdk_dynamodb::types::TransactWriteItem;

use crate::schema::{IndexSchema, KeyAttr};
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

/// Most bytes of items in one transaction. Checked before sending on what
/// dynamodel knows (the items put, the keys, the values updates and
/// conditions send); an update's resulting item
/// is only known to DynamoDB, which refuses a larger transaction with
/// [`Error::Rejected`].
pub const MAX_TRANSACTION_BYTES: usize = 4 * 1024 * 1024;

/// Most levels of nested groups (`AND`, `OR`) and negations (`NOT`) in one
/// condition. DynamoDB allows at most 300 operators and functions in an
/// expression; every level of nesting takes at least one, and the condition
/// at the bottom one more, so a deeper condition is always refused
/// (DynamoDB Local: "too many operators; operator count: 301" for 300
/// negations of a comparison, and accepts 299). Checking the depth first
/// also bounds what dynamodel renders. A condition within this depth may
/// still have more than 300 operators in all: DynamoDB refuses it with
/// [`Error::Rejected`].
pub const MAX_CONDITION_DEPTH: usize = 299;

/// Most bytes in one expression string (condition, update, key condition,
/// filter, projection).
pub const MAX_EXPRESSION_BYTES: usize = 4 * 1024;

/// Most bytes in an attribute name or map key (at least 1).
pub const MAX_ATTRIBUTE_NAME_BYTES: usize = 64 * 1024;

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

/// At least [`item_size`], cheaper: a number counts as if every character
/// of its text were a significant digit. Exact for everything else.
fn item_size_bound(item: &Item) -> usize {
    item.iter()
        .map(|(name, value)| name.len() + value_size_bound(value))
        .sum()
}

/// At least [`value_size`]: [`number_size`] without reading the digits.
/// The same sizes as [`value_size`] but for numbers. The scalar types are
/// counted inline (this runs for every value written); containers out of
/// line, in [`container_size_bound`].
#[inline(always)]
fn value_size_bound(value: &AttributeValue) -> usize {
    match value {
        AttributeValue::S(s) => s.len(),
        AttributeValue::N(n) => number_size_bound(n),
        AttributeValue::B(b) => b.as_ref().len(),
        AttributeValue::Bool(_) | AttributeValue::Null(_) => 1,
        _ => container_size_bound(value),
    }
}

/// [`value_size_bound`] of a list, map or set (0 for a type this crate
/// does not know); its members' scalar sizes counted inline.
#[inline(never)]
fn container_size_bound(value: &AttributeValue) -> usize {
    members_size_bound(value)
}

/// [`container_size_bound`], inlined where it is written: into the walk
/// over an item's attributes (no call per container attribute) and the
/// out-of-line function for nested containers.
#[inline(always)]
fn members_size_bound(value: &AttributeValue) -> usize {
    match value {
        AttributeValue::L(list) => {
            let mut size = 3 + list.len();
            for member in list {
                size += value_size_bound(member);
            }
            size
        }
        AttributeValue::M(map) => {
            let mut size = 3 + map.len();
            for (key, member) in map {
                size += key.len() + value_size_bound(member);
            }
            size
        }
        AttributeValue::Ss(set) => set.iter().map(String::len).sum(),
        AttributeValue::Ns(set) => set.iter().map(|n| number_size_bound(n)).sum(),
        AttributeValue::Bs(set) => set.iter().map(|b| b.as_ref().len()).sum(),
        _ => 0,
    }
}

/// At least [`number_size`]: no more digits than characters.
#[inline]
fn number_size_bound(n: &str) -> usize {
    n.len().div_ceil(2) + 1
}

/// At least `item`'s size, and exactly its size when that is over the
/// 400 KB limit or the item holds no number.
fn counted_size(item: &Item) -> usize {
    counted_size_from_bound(item, item_size_bound(item))
}

/// [`counted_size`] of `item`, whose [`item_size_bound`] is `bound`.
#[inline]
fn counted_size_from_bound(item: &Item, bound: usize) -> usize {
    // Almost every item is far below the limit, which the bound shows
    // without reading the digits of its numbers; the exact size is counted
    // only for an item the bound cannot clear.
    if bound <= MAX_ITEM_SIZE {
        bound
    } else {
        exact_item_size(item)
    }
}

/// [`item_size`], out of the way of the common case.
#[cold]
#[inline(never)]
fn exact_item_size(item: &Item) -> usize {
    item_size(item)
}

/// Refuses an item over DynamoDB's 400 KB limit before sending it.
pub fn check_item_size<M: Model>(item: &Item) -> Result<()> {
    checked_item_size::<M>(item).map(drop)
}

/// [`check_item_size`], returning what the item counts against a
/// transaction's 4 MB ([`counted_size`]: at least its size, numbers counted
/// by their text's length); a transaction counts exactly before refusing
/// anything ([`transact_item_size`]).
pub(crate) fn checked_item_size<M: Model>(item: &Item) -> Result<usize> {
    refuse_oversized::<M>(counted_size(item))
}

/// Refuses an item of `size` bytes (its [`counted_size`]) over the 400 KB
/// limit; returns the size.
#[inline]
fn refuse_oversized<M: Model>(size: usize) -> Result<usize> {
    if size > MAX_ITEM_SIZE {
        return Err(oversized(M::MODEL_NAME, size));
    }
    Ok(size)
}

/// [`refuse_oversized`]'s error, out of the way of the common case.
#[cold]
#[inline(never)]
fn oversized(model: &'static str, size: usize) -> Error {
    Error::InvalidRequest {
        model,
        message: format!(
            "the item is {size} bytes, over DynamoDB's limit of {MAX_ITEM_SIZE} bytes (400 KB)"
        ),
    }
}

/// The strictest key role attribute `name` plays in model `M`'s table or
/// one of its secondary indexes: its description (`sort key`, `partition key
/// of index \`by_email\``) and the most bytes its value may hold. `None`
/// for an attribute that is no key.
fn key_role<M: Model>(name: &str) -> Option<(String, usize)> {
    let indexes = M::index_schemas();
    let schemas = std::iter::once((None, M::key_schema())).chain(
        indexes
            .iter()
            .map(|index| (Some(index.name), index.key_schema())),
    );
    let mut strictest: Option<(String, usize)> = None;
    let extra = |index: Option<&'static str>, pick: fn(&IndexSchema) -> &'static [KeyAttr]| {
        indexes
            .iter()
            .find(|i| Some(i.name) == index)
            .is_some_and(|i| pick(i).iter().any(|a| a.name == name))
    };
    for (index, keys) in schemas {
        let (role, max) = if keys.range.is_some_and(|range| range.name == name)
            || extra(index, |i| i.extra_range)
        {
            ("sort key", MAX_SORT_KEY_BYTES)
        } else if keys.hash.name == name || extra(index, |i| i.extra_hash) {
            ("partition key", MAX_PARTITION_KEY_BYTES)
        } else {
            continue;
        };
        // Only a stricter role replaces the first one found (the table's
        // own key comes first).
        if strictest.as_ref().is_none_or(|(_, found)| max < *found) {
            let role = match index {
                Some(index) => format!("{role} of index `{index}`"),
                None => role.to_owned(),
            };
            strictest = Some((role, max));
        }
    }
    strictest
}

/// Refuses a single value (one an update writes) over DynamoDB's 400 KB
/// item limit: the item holding it could never be stored.
pub fn check_value_size<M: Model>(attribute: &str, value: &AttributeValue) -> Result<()> {
    let size = value_size(value);
    if size > MAX_ITEM_SIZE {
        let message = format!(
            "the value is {size} bytes, over DynamoDB's limit of {MAX_ITEM_SIZE} bytes (400 KB) for a whole item"
        );
        return Err(attribute_error(M::MODEL_NAME, attribute, "size", message));
    }
    Ok(())
}

/// Checks a key attribute's value against DynamoDB's limits (no empty string
/// or binary, at most [`MAX_PARTITION_KEY_BYTES`] for a partition key and
/// [`MAX_SORT_KEY_BYTES`] for a sort key, of the table or of a secondary
/// index), so a bad key is a typed [`Error::Validation`] naming the
/// attribute (rule `key`) instead of a service error. Attributes that are no
/// key pass.
pub fn check_key_value<M: Model>(name: &str, value: &AttributeValue) -> Result<()> {
    let len = match value {
        AttributeValue::S(s) => s.len(),
        AttributeValue::B(b) => b.as_ref().len(),
        _ => return Ok(()),
    };
    check_key_len::<M>(name, len)
}

/// The most bytes a string or binary value may hold whatever key role it
/// plays: a value of 1 to this many bytes passes every key's limits.
const MAX_ANY_KEY_BYTES: usize = if MAX_SORT_KEY_BYTES < MAX_PARTITION_KEY_BYTES {
    MAX_SORT_KEY_BYTES
} else {
    MAX_PARTITION_KEY_BYTES
};

/// Whether a string or binary value of `len` bytes passes every key
/// role's limits (not empty, at most [`MAX_ANY_KEY_BYTES`]).
#[inline(always)]
fn fits_any_key(len: usize) -> bool {
    len.wrapping_sub(1) < MAX_ANY_KEY_BYTES
}

// `fits_any_key` of many lengths at once: with this a power of two, some
// `len - 1` (an empty value's wraps to all ones) is at least
// `MAX_ANY_KEY_BYTES` exactly when their bitwise OR is.
const _: () = assert!(MAX_ANY_KEY_BYTES.is_power_of_two());

/// [`check_key_value`] of a string or binary value of `len` bytes.
#[inline]
pub(crate) fn check_key_len<M: Model>(name: &str, len: usize) -> Result<()> {
    // Within every key role's limit: no need to look the role up (this
    // runs for every key attribute of every item written).
    if fits_any_key(len) {
        return Ok(());
    }
    key_len_problem::<M>(name, len)
}

/// [`check_key_len`] of a length outside some key role's limits: refused
/// if attribute `name` plays such a role.
#[cold]
#[inline(never)]
fn key_len_problem<M: Model>(name: &str, len: usize) -> Result<()> {
    let Some((role, max)) = key_role::<M>(name) else {
        return Ok(());
    };
    let message = if len == 0 {
        format!("a {role} cannot be empty")
    } else if len > max {
        format!("a {role} holds at most {max} bytes, and this one has {len}")
    } else {
        return Ok(());
    };
    Err(attribute_error(M::MODEL_NAME, name, "key", message))
}

/// Checks every key attribute of the table and of its secondary indexes
/// that `item` holds (see [`check_key_value`]).
pub fn check_item_keys<M: Model>(item: &Item) -> Result<()> {
    let names = table_key_names::<M>();
    for name in names.into_iter().flatten() {
        if let Some(value) = item.get(name) {
            check_key_value::<M>(name, value)?;
        }
    }
    check_index_keys::<M>(item, &names)
}

/// What the write pipeline's limits step found of an item it passed.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct CheckedItem {
    /// [`checked_item_size`]'s answer.
    pub(crate) size: usize,
    /// The item's canonical key ([`crate::ops::keys::canonical_key`] of the
    /// table's key attributes); empty when it lacks one.
    pub(crate) canonical_key: Vec<u8>,
}

/// The write pipeline's limits step, in one walk over the item: its size
/// is counted, and whether any top-level string or binary value fits no
/// key role's limits noted; only then (rarely) are the key attributes of
/// the table and its indexes looked up and checked. With
/// `with_canonical_key` (else empty), the values of the table's key
/// attributes are picked out in the same walk, not looked up by name, and
/// give the item's canonical key (a single put does without). The same
/// checks, errors and order as [`check_item_keys`] then
/// [`checked_item_size`].
pub(crate) fn checked_item<M: Model>(item: &Item, with_canonical_key: bool) -> Result<CheckedItem> {
    let names = if with_canonical_key {
        table_key_names::<M>()
    } else {
        [None; 2]
    };
    let walked = walk_item(item, names);
    if walked.key_len_suspect {
        // Some value is empty or long: the exact checks, in key order.
        check_item_keys_rarely::<M>(item)?;
    }
    let size = refuse_oversized::<M>(counted_size_from_bound(item, walked.bound))?;
    Ok(CheckedItem {
        size,
        canonical_key: if with_canonical_key {
            canonical_key_of(names, walked.key_values)
        } else {
            Vec::new()
        },
    })
}

/// [`check_item_keys`], out of the way of [`checked_item`]'s common case.
#[cold]
#[inline(never)]
fn check_item_keys_rarely<M: Model>(item: &Item) -> Result<()> {
    check_item_keys::<M>(item)
}

/// What [`walk_item`] found of an item (no `Debug`: it holds key values).
struct Walked<'a> {
    /// [`item_size_bound`] of the item.
    bound: usize,
    /// Whether a top-level string or binary value fails [`fits_any_key`]
    /// (a key attribute among them would be refused).
    key_len_suspect: bool,
    /// The values of the attributes named in the walk's `key_names`.
    key_values: [Option<&'a AttributeValue>; 2],
}

/// One walk over `item`: its [`item_size_bound`], whether a top-level
/// string or binary value fails [`fits_any_key`], and the values of the
/// attributes `key_names` (two different names, or `None`). Inlined into
/// each model's [`checked_item`], where the key names are constants.
#[inline(always)]
fn walk_item<'a>(item: &'a Item, key_names: [Option<&str>; 2]) -> Walked<'a> {
    // The OR of `len - 1` over the strings and binaries: one bitwise OR per
    // value instead of a comparison (see `MAX_ANY_KEY_BYTES`).
    let (mut bound, mut suspect) = (0, 0);
    let mut key_values = [None; 2];
    // Two loops: a write whose canonical key is not made here (a single
    // put, a slice batch's put) compares no name per attribute; only the
    // other loop does, for the writes that ask for the key.
    if let [None, None] = key_names {
        for (name, value) in item {
            bound += name.len() + top_level_size_bound(value, &mut suspect);
        }
    } else {
        let [hash, range] = key_names;
        for (name, value) in item {
            bound += name.len() + top_level_size_bound(value, &mut suspect);
            let name = Some(name.as_str());
            if name == hash {
                key_values[0] = Some(value);
            } else if name == range {
                key_values[1] = Some(value);
            }
        }
    }
    Walked {
        bound,
        key_len_suspect: suspect >= MAX_ANY_KEY_BYTES,
        key_values,
    }
}

/// [`value_size_bound`] of an attribute's value; ORs `len - 1` into
/// `lens_less_one` if it is a string or binary of `len` bytes (only
/// top-level values can be keys).
#[inline(always)]
fn top_level_size_bound(value: &AttributeValue, lens_less_one: &mut usize) -> usize {
    let len = match value {
        AttributeValue::S(s) => s.len(),
        AttributeValue::B(b) => b.as_ref().len(),
        AttributeValue::N(n) => return number_size_bound(n),
        AttributeValue::Bool(_) | AttributeValue::Null(_) => return 1,
        other => return members_size_bound(other),
    };
    *lens_less_one |= len.wrapping_sub(1);
    len
}

/// The canonical key of the key attributes `names` whose values are
/// `values`; empty when one is missing (or no key type).
fn canonical_key_of(
    names: [Option<&'static str>; 2],
    values: [Option<&AttributeValue>; 2],
) -> Vec<u8> {
    match (names, values) {
        ([Some(_), None], [Some(hash), _]) => crate::ops::keys::canonical_key_of_values(&[hash]),
        ([Some(_), Some(_)], [Some(hash), Some(range)]) => {
            crate::ops::keys::canonical_key_of_values(&[hash, range])
        }
        _ => Vec::new(),
    }
}

/// The names of `M`'s table key attributes: partition key, sort key.
fn table_key_names<M: Model>() -> [Option<&'static str>; 2] {
    let keys = M::key_schema();
    [Some(keys.hash.name), keys.range.map(|range| range.name)]
}

/// Checks the key attributes of `M`'s secondary indexes that `item` holds,
/// in key order, but for `checked` (the table's, checked already).
fn check_index_keys<M: Model>(item: &Item, checked: &[Option<&'static str>; 2]) -> Result<()> {
    for index in M::index_schemas() {
        // Every attribute of the key, as `IndexSchema::attribute_names`
        // lists them, without a list per write.
        let attributes = std::iter::once(index.hash)
            .chain(index.extra_hash.iter().copied())
            .chain(index.range)
            .chain(index.extra_range.iter().copied());
        for name in attributes.map(|attribute| attribute.name) {
            if checked.contains(&Some(name)) {
                continue;
            }
            if let Some(value) = item.get(name) {
                check_key_value::<M>(name, value)?;
            }
        }
    }
    Ok(())
}

/// [`Error::Validation`] of `model` for one attribute and rule.
pub(crate) fn attribute_error(
    model: &'static str,
    attribute: &str,
    rule: &'static str,
    message: String,
) -> Error {
    let mut errors = crate::settings::ValidationErrors::new();
    errors.add(attribute, rule, message);
    Error::Validation { model, errors }
}

/// [`Error::LimitExceeded`] of `model` for `limit`.
fn exceeded(model: &'static str, limit: &'static str, message: String) -> Result<()> {
    Err(Error::LimitExceeded {
        model,
        limit,
        message,
    })
}

/// Refuses a condition nested deeper than [`MAX_CONDITION_DEPTH`].
pub(crate) fn check_condition_depth(model: &'static str, depth: usize) -> Result<()> {
    if depth > MAX_CONDITION_DEPTH {
        return exceeded(model, "condition depth", format!(
            "a condition nests {depth} levels of and/or/not, over the limit of {MAX_CONDITION_DEPTH} (DynamoDB allows 300 operators in an expression, one per level and one more at the bottom)"
        ));
    }
    Ok(())
}

/// Refuses an expression string (`what`: `condition`, `update`...) over
/// [`MAX_EXPRESSION_BYTES`].
pub(crate) fn check_expression_length(
    model: &'static str,
    what: &str,
    expression: &str,
) -> Result<()> {
    let len = expression.len();
    if len > MAX_EXPRESSION_BYTES {
        return exceeded(model, "expression length", format!(
            "the {what} expression is {len} bytes, over DynamoDB's limit of {MAX_EXPRESSION_BYTES} bytes (4 KB)"
        ));
    }
    Ok(())
}

/// What is wrong with attribute name (or map key) `name`, if anything: it
/// must have 1 to [`MAX_ATTRIBUTE_NAME_BYTES`] bytes.
pub(crate) fn attribute_name_problem(name: &str) -> Option<String> {
    if name.is_empty() {
        Some("an attribute name or map key cannot be empty".to_owned())
    } else if name.len() > MAX_ATTRIBUTE_NAME_BYTES {
        Some(format!(
            "an attribute name or map key holds at most {MAX_ATTRIBUTE_NAME_BYTES} bytes (64 KB), and this one has {}",
            name.len()
        ))
    } else {
        None
    }
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

/// What one transaction action sends, as counted against
/// [`MAX_TRANSACTION_BYTES`]: its item (a put) or key, of
/// `item_or_key_size` bytes ([`item_size`]), plus the values of its update
/// and condition expressions.
pub(crate) fn action_size<'a>(
    item_or_key_size: usize,
    values: impl Iterator<Item = &'a AttributeValue>,
) -> usize {
    item_or_key_size + values.map(value_size).sum::<usize>()
}

/// Exactly what one transaction action counts against
/// [`MAX_TRANSACTION_BYTES`] ([`action_size`], every size exact).
pub(crate) fn transact_item_size(action: &TransactWriteItem) -> usize {
    type Values = Option<std::collections::HashMap<String, AttributeValue>>;
    let (item, values): (&Item, &Values) = if let Some(put) = action.put() {
        (put.item(), &put.expression_attribute_values)
    } else if let Some(update) = action.update() {
        (update.key(), &update.expression_attribute_values)
    } else if let Some(delete) = action.delete() {
        (delete.key(), &delete.expression_attribute_values)
    } else if let Some(check) = action.condition_check() {
        (check.key(), &check.expression_attribute_values)
    } else {
        return 0;
    };
    action_size(item_size(item), values.iter().flat_map(|v| v.values()))
}

/// Refuses a transaction whose actions (model and [`action_size`] each)
/// send more than [`MAX_TRANSACTION_BYTES`], naming the largest action.
pub(crate) fn check_transaction_size(
    actions: impl Iterator<Item = (&'static str, usize)>,
) -> Result<()> {
    let (mut total, mut largest) = (0usize, None::<(usize, &'static str, usize)>);
    for (index, (model, bytes)) in actions.enumerate() {
        total += bytes;
        if largest.is_none_or(|(_, _, most)| bytes > most) {
            largest = Some((index, model, bytes));
        }
    }
    match largest {
        Some((index, model, bytes)) if total > MAX_TRANSACTION_BYTES => exceeded(model, "transaction size", format!(
            "the transaction sends {total} bytes of items and values, over DynamoDB's limit of {MAX_TRANSACTION_BYTES} bytes (4 MB); its largest action is #{index} ({bytes} bytes)"
        )),
        _ => Ok(()),
    }
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
    use std::collections::HashMap;

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
        assert_eq!(item_size_bound(&item), item_size(&item));
    }

    #[test]
    fn the_size_bound_is_the_size_of_every_value_but_numbers() {
        let blob = |bytes: &[u8]| aws_sdk_dynamodb::primitives::Blob::new(bytes.to_vec());
        let values = [
            (AttributeValue::S("abc".into()), 3),
            (AttributeValue::S(String::new()), 0),
            (AttributeValue::B(blob(&[1, 2])), 2),
            (AttributeValue::Bool(false), 1),
            (AttributeValue::Null(true), 1),
            (AttributeValue::Ss(vec!["ab".into(), "cde".into()]), 5),
            (AttributeValue::Bs(vec![blob(&[1]), blob(&[2, 3, 4])]), 4),
            (
                AttributeValue::L(vec![
                    AttributeValue::Bool(true),
                    AttributeValue::S("xy".into()),
                ]),
                3 + (1 + 1) + (1 + 2),
            ),
            (
                AttributeValue::M(HashMap::from([(
                    "key".to_owned(),
                    AttributeValue::Ss(vec!["a".into()]),
                )])),
                3 + 1 + 3 + 1,
            ),
        ];
        for (value, size) in values {
            assert_eq!(value_size(&value), size, "{value:?}");
            assert_eq!(value_size_bound(&value), size, "{value:?}");
        }
    }

    #[test]
    fn the_size_bound_counts_every_number_character_and_nothing_else() {
        let n = |text: &str| AttributeValue::N(text.into());
        let item = Item::from([
            ("n".to_owned(), n("-0.00100")),
            ("l".to_owned(), AttributeValue::L(vec![n("100"), n("1")])),
            (
                "m".to_owned(),
                AttributeValue::M(HashMap::from([("k".to_owned(), n("12345"))])),
            ),
            (
                "ns".to_owned(),
                AttributeValue::Ns(vec!["1.5E+20".into(), "7".into()]),
            ),
            ("s".to_owned(), AttributeValue::S("abc".into())),
        ]);
        // 1+5, 1 + (3 + (1+3) + (1+2)), 1 + (3 + 1+1+4), 2 + 5+2, 1+3
        assert_eq!(item_size_bound(&item), 6 + 11 + 10 + 9 + 4);
        // 1+2, 1 + (3 + (1+2) + (1+2)), 1 + (3 + 1+1+4), 2 + 2+2, 1+3
        assert_eq!(item_size(&item), 3 + 10 + 10 + 6 + 4);
    }

    #[test]
    fn a_transaction_action_is_counted_exactly() {
        use aws_sdk_dynamodb::types::{ConditionCheck, Delete, Put, Update};
        let item = Item::from([("k".to_owned(), AttributeValue::N("1000".into()))]);
        let values = HashMap::from([(":v".to_owned(), AttributeValue::S("abc".into()))]);
        let put = Put::builder()
            .table_name("t")
            .set_item(Some(item.clone()))
            .set_expression_attribute_values(Some(values.clone()))
            .build()
            .unwrap();
        // "k" + 2 bytes for 1000, then the value's 3 bytes.
        let action = TransactWriteItem::builder().put(put).build();
        assert_eq!(transact_item_size(&action), 1 + 2 + 3);
        let update = Update::builder()
            .table_name("t")
            .set_key(Some(item.clone()))
            .update_expression("SET a = :v")
            .set_expression_attribute_values(Some(values.clone()))
            .build()
            .unwrap();
        let action = TransactWriteItem::builder().update(update).build();
        assert_eq!(transact_item_size(&action), 1 + 2 + 3);
        let delete = Delete::builder()
            .table_name("t")
            .set_key(Some(item.clone()))
            .build()
            .unwrap();
        let action = TransactWriteItem::builder().delete(delete).build();
        assert_eq!(transact_item_size(&action), 1 + 2);
        let check = ConditionCheck::builder()
            .table_name("t")
            .set_key(Some(item))
            .condition_expression("a = :v")
            .set_expression_attribute_values(Some(values))
            .build()
            .unwrap();
        let action = TransactWriteItem::builder().condition_check(check).build();
        assert_eq!(transact_item_size(&action), 1 + 2 + 3);
        assert_eq!(transact_item_size(&TransactWriteItem::builder().build()), 0);
    }

    #[test]
    fn an_item_is_refused_by_its_exact_size_not_the_bound() {
        // A 16-character number is 2 bytes exactly, 9 by the bound.
        let at_limit = |extra: usize| {
            Item::from([
                ("n".to_owned(), AttributeValue::N("1000000000000000".into())),
                (
                    "s".to_owned(),
                    AttributeValue::S("x".repeat(MAX_ITEM_SIZE - 1 - 2 - 1 + extra)),
                ),
            ])
        };
        assert_eq!(item_size(&at_limit(0)), MAX_ITEM_SIZE);
        assert!(item_size_bound(&at_limit(0)) > MAX_ITEM_SIZE);
        assert_eq!(counted_size(&at_limit(0)), MAX_ITEM_SIZE);
        assert_eq!(counted_size(&at_limit(1)), MAX_ITEM_SIZE + 1);
        // Far below the limit, the bound is what counts.
        let small = Item::from([("n".to_owned(), AttributeValue::N("1000".into()))]);
        assert_eq!(counted_size(&small), 1 + 3);
        assert_eq!(item_size(&small), 1 + 2);
    }

    /// A table keyed `pk`/`sk`, a global index keyed `g1`, `g2` (partition)
    /// and `sk` (sort), and a local index on `pk`/`l1`.
    struct Keyed;

    impl Model for Keyed {
        const MODEL_NAME: &'static str = "Keyed";
        const TABLE_NAME: &'static str = "keyed";
        type Key = String;
        type Fields = ();
        fn fields() {}
        fn key_schema() -> crate::schema::KeySchema {
            crate::schema::KeySchema {
                hash: string("pk"),
                range: Some(string("sk")),
            }
        }
        fn index_schemas() -> &'static [IndexSchema] {
            use crate::schema::{IndexKind, IndexProjection};
            const EXTRA: &[KeyAttr] = &[KeyAttr {
                name: "g2",
                scalar_type: crate::schema::ScalarType::String,
            }];
            const SCHEMAS: &[IndexSchema] = &[
                IndexSchema {
                    name: "by_g",
                    kind: IndexKind::Global,
                    hash: string("g1"),
                    range: Some(string("sk")),
                    extra_hash: EXTRA,
                    extra_range: &[],
                    projection: IndexProjection::All,
                },
                IndexSchema {
                    name: "by_l",
                    kind: IndexKind::Local,
                    hash: string("pk"),
                    range: Some(string("l1")),
                    extra_hash: &[],
                    extra_range: &[],
                    projection: IndexProjection::KeysOnly,
                },
            ];
            SCHEMAS
        }
        fn key(&self) -> String {
            String::new()
        }
        fn key_to_item(_: &String) -> Result<Item> {
            Ok(Item::new())
        }
        fn to_item(&self) -> Result<Item> {
            Ok(Item::new())
        }
        fn from_item(_: Item) -> Result<Self> {
            Ok(Keyed)
        }
    }

    const fn string(name: &'static str) -> KeyAttr {
        KeyAttr {
            name,
            scalar_type: crate::schema::ScalarType::String,
        }
    }

    fn keyed(entries: &[(&str, usize)]) -> Item {
        entries
            .iter()
            .map(|(name, len)| ((*name).to_owned(), AttributeValue::S("k".repeat(*len))))
            .collect()
    }

    /// The attribute and message of a key error, or why it is none.
    fn key_problem(result: Result<usize>) -> String {
        match result {
            Err(Error::Validation { model, errors }) => {
                assert_eq!(model, "Keyed");
                format!("{errors}")
            }
            other => format!("{other:?}"),
        }
    }

    #[test]
    fn the_limits_step_gives_the_canonical_key_of_the_table_key() {
        use crate::ops::keys::canonical_key;
        let canonical = |item: &Item| checked_item::<Keyed>(item, true).unwrap().canonical_key;
        let item = keyed(&[("pk", 2), ("sk", 1), ("g1", 3), ("x", 4)]);
        assert_eq!(canonical(&item), b"S\0\0\0\x02kkS\0\0\0\x01k");
        assert_eq!(
            Some(canonical(&item)),
            canonical_key(&item, &["pk", "sk"]),
            "the bytes canonical_key gives"
        );
        assert_eq!(canonical(&keyed(&[("pk", 2), ("x", 1)])), b"");
        assert_eq!(canonical(&keyed(&[("sk", 2), ("x", 1)])), b"");
        let mut numbered = keyed(&[("sk", 1)]);
        numbered.insert("pk".into(), AttributeValue::N("12".into()));
        assert_eq!(canonical(&numbered), b"N\0\0\0\x0212S\0\0\0\x01k");
        let mut flagged = keyed(&[("sk", 1)]);
        flagged.insert("pk".into(), AttributeValue::Bool(true));
        assert_eq!(canonical(&flagged), b"", "no key has that type");
    }

    #[test]
    fn a_canonical_key_needs_every_key_attribute_of_the_schema() {
        let (h, r) = (AttributeValue::S("h".into()), AttributeValue::N("1".into()));
        let hash_only = [Some("pk"), None];
        let both = [Some("pk"), Some("sk")];
        assert_eq!(
            canonical_key_of(hash_only, [Some(&h), None]),
            b"S\0\0\0\x01h"
        );
        assert_eq!(
            canonical_key_of(hash_only, [Some(&h), Some(&r)]),
            b"S\0\0\0\x01h"
        );
        assert_eq!(canonical_key_of(hash_only, [None, None]), b"");
        assert_eq!(
            canonical_key_of(both, [Some(&h), Some(&r)]),
            b"S\0\0\0\x01hN\0\0\0\x011"
        );
        assert_eq!(canonical_key_of(both, [Some(&h), None]), b"");
        assert_eq!(canonical_key_of(both, [None, Some(&r)]), b"");
    }

    #[test]
    fn the_pipeline_check_is_the_key_check_then_the_size_check() {
        let both = |item: &Item| {
            let separate =
                check_item_keys::<Keyed>(item).and_then(|()| checked_item_size::<Keyed>(item));
            let fused = checked_item::<Keyed>(item, true).map(|checked| checked.size);
            assert_eq!(key_problem(fused), key_problem(separate));
            key_problem(checked_item::<Keyed>(item, true).map(|checked| checked.size))
        };
        let good = keyed(&[
            ("pk", 3),
            ("sk", 2),
            ("g1", 1),
            ("g2", 1),
            ("l1", 1),
            ("x", 4),
        ]);
        assert_eq!(
            both(&good),
            format!("Ok({})", 2 + 3 + 2 + 2 + 2 + 1 + 2 + 1 + 2 + 1 + 1 + 4)
        );
        // Every key attribute of the table and of the indexes is checked,
        // missing ones are not.
        assert_eq!(both(&keyed(&[("x", 0)])), "Ok(1)");
        for (name, role) in [
            ("pk", "partition key"),
            ("sk", "sort key"),
            ("g1", "partition key of index `by_g`"),
            ("g2", "partition key of index `by_g`"),
            ("l1", "sort key of index `by_l`"),
        ] {
            let item = keyed(&[
                ("pk", 1),
                ("sk", 1),
                ("g1", 1),
                ("g2", 1),
                ("l1", 1),
                (name, 0),
            ]);
            let problem = both(&item);
            assert!(
                problem.contains(name) && problem.contains(&format!("a {role} cannot be empty")),
                "{problem}"
            );
        }
        let long_sort = both(&keyed(&[("pk", 1), ("sk", MAX_SORT_KEY_BYTES + 1)]));
        assert!(
            long_sort.contains("a sort key holds at most 1024 bytes, and this one has 1025"),
            "{long_sort}"
        );
        assert_eq!(
            both(&keyed(&[
                ("pk", MAX_PARTITION_KEY_BYTES),
                ("sk", MAX_SORT_KEY_BYTES)
            ])),
            format!("Ok({})", 4 + 2048 + 1024)
        );
        // Keys first, in key order: the table's partition key, its sort
        // key, then the indexes'; the size last.
        let over = MAX_ITEM_SIZE;
        let first = both(&keyed(&[("pk", 0), ("sk", 0), ("g1", 0), ("x", over)]));
        assert!(first.contains("pk") && !first.contains("sk"), "{first}");
        let second = both(&keyed(&[("pk", 1), ("sk", 0), ("g1", 0), ("x", over)]));
        assert!(second.contains("sk") && !second.contains("g1"), "{second}");
        let index = both(&keyed(&[("pk", 1), ("g2", 0), ("l1", 0), ("x", over)]));
        assert!(index.contains("g2") && !index.contains("l1"), "{index}");
        let size = both(&keyed(&[("pk", 1), ("x", over)]));
        assert!(
            size.contains(&format!("the item is {} bytes", 2 + 1 + 1 + over)),
            "{size}"
        );
        // Exactly at the limit passes; one byte more does not.
        let at_limit = keyed(&[("pk", 1), ("x", over - 2 - 1 - 1)]);
        assert_eq!(both(&at_limit), format!("Ok({over})"));
        let numbers = Item::from([
            (
                "pk".to_owned(),
                AttributeValue::N("1000000000000000".into()),
            ),
            (
                "x".to_owned(),
                AttributeValue::S("x".repeat(over - 2 - 2 - 1)),
            ),
        ]);
        // The bound is over the limit, the exact size is not.
        assert_eq!(both(&numbers), format!("Ok({over})"));
    }

    /// `checked_item`'s size or key problem, the same with and without the
    /// canonical key, and the same as the separate checks give.
    fn checked(item: &Item) -> String {
        let separate =
            check_item_keys::<Keyed>(item).and_then(|()| checked_item_size::<Keyed>(item));
        let with_key = checked_item::<Keyed>(item, true).map(|checked| checked.size);
        let without_key = checked_item::<Keyed>(item, false).map(|checked| checked.size);
        let problem = key_problem(with_key);
        assert_eq!(problem, key_problem(without_key));
        assert_eq!(problem, key_problem(separate));
        problem
    }

    #[test]
    fn a_length_fits_every_key_from_one_to_the_sort_key_limit() {
        assert_eq!(MAX_ANY_KEY_BYTES, 1024);
        for (len, fits) in [
            (0, false),
            (1, true),
            (2, true),
            (1023, true),
            (1024, true),
            (1025, false),
            (2048, false),
            (usize::MAX, false),
        ] {
            assert_eq!(fits_any_key(len), fits, "{len}");
        }
    }

    #[test]
    fn the_walk_notes_only_top_level_strings_and_binaries_no_key_could_hold() {
        let blob =
            |len: usize| AttributeValue::B(aws_sdk_dynamodb::primitives::Blob::new(vec![7; len]));
        let string = |len: usize| AttributeValue::S("s".repeat(len));
        let suspect = |value: AttributeValue| {
            let item = Item::from([("a".to_owned(), value)]);
            let walked = walk_item(&item, [None; 2]);
            assert_eq!(walked.bound, item_size_bound(&item));
            walked.key_len_suspect
        };
        for len in [1, 1024] {
            assert!(!suspect(string(len)), "string of {len}");
            assert!(!suspect(blob(len)), "binary of {len}");
        }
        for len in [0, 1025, 2048, 2049] {
            assert!(suspect(string(len)), "string of {len}");
            assert!(suspect(blob(len)), "binary of {len}");
        }
        // No key holds these: never suspect, whatever their size.
        assert!(!suspect(AttributeValue::N("1".repeat(3000))));
        assert!(!suspect(AttributeValue::Ss(vec![String::new()])));
        assert!(!suspect(AttributeValue::L(vec![string(0), blob(2000)])));
        assert!(!suspect(AttributeValue::M(HashMap::from([(
            String::new(),
            string(0)
        )]))));
        assert!(!suspect(AttributeValue::Bool(true)));
        // One suspect value among good ones is noted.
        let item = keyed(&[("pk", 1), ("x", 0), ("y", 3)]);
        assert!(walk_item(&item, [None; 2]).key_len_suspect);
        assert!(!walk_item(&keyed(&[("pk", 1), ("y", 3)]), [None; 2]).key_len_suspect);
    }

    #[test]
    fn the_walk_picks_the_named_values_only() {
        let item = keyed(&[("pk", 1), ("sk", 2), ("g1", 3), ("x", 4)]);
        let lens = |names: [Option<&str>; 2]| {
            let walked = walk_item(&item, names);
            assert_eq!(walked.bound, 2 + 1 + 2 + 2 + 2 + 3 + 1 + 4);
            walked.key_values.map(|value| match value {
                Some(AttributeValue::S(s)) => Some(s.len()),
                _ => None,
            })
        };
        assert_eq!(lens([None, None]), [None, None]);
        assert_eq!(lens([Some("pk"), Some("sk")]), [Some(1), Some(2)]);
        assert_eq!(lens([Some("sk"), Some("pk")]), [Some(2), Some(1)]);
        assert_eq!(lens([Some("g1"), None]), [Some(3), None]);
        assert_eq!(lens([None, Some("x")]), [None, Some(4)]);
        assert_eq!(lens([Some("pk"), Some("absent")]), [Some(1), None]);
    }

    #[test]
    fn containers_count_three_bytes_one_per_member_and_the_members() {
        let blob = |bytes: &[u8]| aws_sdk_dynamodb::primitives::Blob::new(bytes.to_vec());
        let values = [
            (AttributeValue::L(vec![]), 3),
            (AttributeValue::M(HashMap::new()), 3),
            (AttributeValue::Ss(vec![]), 0),
            (
                AttributeValue::L(vec![
                    AttributeValue::B(blob(&[1, 2, 3])),
                    AttributeValue::Null(true),
                    AttributeValue::L(vec![AttributeValue::S("ab".into())]),
                    AttributeValue::M(HashMap::from([(
                        "kk".to_owned(),
                        AttributeValue::Bs(vec![blob(&[1]), blob(&[1, 2])]),
                    )])),
                ]),
                3 + (1 + 3) + (1 + 1) + (1 + 3 + 1 + 2) + (1 + 3 + 1 + 2 + 3),
            ),
            (
                AttributeValue::M(HashMap::from([
                    ("abc".to_owned(), AttributeValue::Bool(false)),
                    ("d".to_owned(), AttributeValue::S("xyz".into())),
                ])),
                3 + (1 + 3 + 1) + (1 + 1 + 3),
            ),
        ];
        for (value, size) in values {
            assert_eq!(value_size_bound(&value), size, "{value:?}");
            assert_eq!(value_size(&value), size, "{value:?}");
        }
        // Numbers in containers by their text's length.
        let numbers = AttributeValue::L(vec![
            AttributeValue::N("1000".into()),
            AttributeValue::M(HashMap::from([(
                "k".to_owned(),
                AttributeValue::N("12345".into()),
            )])),
            AttributeValue::Ns(vec!["100".into(), "7".into()]),
        ]);
        // 3 + (1 + 3) + (1 + 3 + 1 + 1 + 4) + (1 + 3 + 2)
        assert_eq!(value_size_bound(&numbers), 23);
        assert_eq!(value_size(&numbers), 21);
    }

    #[test]
    fn key_lengths_are_refused_at_each_role_limit_and_other_values_pass() {
        let item = |name: &str, len: usize| keyed(&[("pk", 1), ("sk", 1), (name, len)]);
        let problem = |name: &str, len: usize| checked(&item(name, len));
        // The table's partition key and an index's partition keys: 2048.
        for name in ["pk", "g1", "g2"] {
            let size = item_size(&item(name, 2048));
            assert_eq!(problem(name, 2048), format!("Ok({size})"), "{name}");
            let long = problem(name, 2049);
            assert!(
                long.contains(name)
                    && long.contains("partition key")
                    && long.contains("holds at most 2048 bytes, and this one has 2049"),
                "{long}"
            );
        }
        // Sort keys, of the table and of an index: 1024.
        for (name, role) in [("sk", "sort key"), ("l1", "sort key of index `by_l`")] {
            let size = item_size(&item(name, 1024));
            assert_eq!(problem(name, 1024), format!("Ok({size})"), "{name}");
            let long = problem(name, 1025);
            assert!(
                long.contains(name)
                    && long.contains(&format!(
                        "a {role} holds at most 1024 bytes, and this one has 1025"
                    )),
                "{long}"
            );
        }
        // An attribute that is no key may be empty or long.
        assert_eq!(problem("x", 0), "Ok(7)");
        assert_eq!(problem("x", 5000), format!("Ok({})", 7 + 5000));
        // Binary keys too.
        let mut item = keyed(&[("sk", 1)]);
        item.insert(
            "pk".to_owned(),
            AttributeValue::B(aws_sdk_dynamodb::primitives::Blob::new(Vec::new())),
        );
        let empty = checked(&item);
        assert!(
            empty.contains("pk") && empty.contains("a partition key cannot be empty"),
            "{empty}"
        );
        // A key problem comes before the size: a key of 2049 bytes in an
        // item over 400 KB.
        let both = checked(&keyed(&[("pk", 2049), ("x", MAX_ITEM_SIZE)]));
        assert!(both.contains("holds at most 2048 bytes"), "{both}");
    }

    #[test]
    fn a_walked_item_is_refused_at_one_byte_over_the_limit() {
        // No value a key could hold is suspect: the size check alone
        // decides. A number of `digits` ones counts (digits + 1) / 2 + 1.
        let item = |digits: usize| {
            let mut item = keyed(&[("pk", 1), ("sk", 1)]);
            item.insert("n".to_owned(), AttributeValue::N("1".repeat(digits)));
            assert!(!walk_item(&item, [None; 2]).key_len_suspect);
            item
        };
        let at_limit = 2 * (MAX_ITEM_SIZE - 8);
        assert_eq!(checked(&item(at_limit)), format!("Ok({MAX_ITEM_SIZE})"));
        let over = checked(&item(at_limit + 1));
        assert!(
            over.contains(&format!("the item is {} bytes", MAX_ITEM_SIZE + 1)),
            "{over}"
        );
        assert_eq!(
            checked_item::<Keyed>(&item(at_limit), true)
                .unwrap()
                .canonical_key,
            b"S\0\0\0\x01kS\0\0\0\x01k"
        );
        assert_eq!(
            checked_item::<Keyed>(&item(at_limit), false)
                .unwrap()
                .canonical_key,
            b""
        );
    }
}
