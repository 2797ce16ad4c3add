//! Opaque pagination cursors: a resume key, encoded for HTTP clients and
//! authenticated so that altered or foreign cursors are refused.
//!
//! # Format
//!
//! URL-safe base64 (no padding) of `version (1 byte) | key | tag (16 bytes)`.
//! `key` is the `LastEvaluatedKey`: for each attribute its name, its type
//! (`S`, `N` or `B`) and its value. `tag` is HMAC-SHA-256, truncated to 128
//! bits, over the version, the key and a *binding*: the model, the table
//! (with its prefix), the index, the operation (query or scan) and the scan segment the cursor was issued
//! for. A cursor from another table, index or model, or one altered in any
//! byte, fails the check and is refused with [`Error::InvalidCursor`].
//!
//! # Secret
//!
//! The HMAC key is the secret given to [`Db::with_cursor_secret`](crate::Db::with_cursor_secret), or else a
//! fixed key built into dynamodel. With the fixed key, cursors are still
//! bound and checked, which catches damaged, truncated and misrouted
//! cursors, but someone who reads this source can forge one: the worst a
//! forged cursor does is start the same query (same table, index and
//! partition) at another key. With a secret of your own, cursors cannot be
//! forged. Cursors are not encrypted: the key values they carry (often an
//! id, sometimes an e-mail) can be decoded by whoever holds the cursor.

use base64::Engine as _;
use hmac::{KeyInit, Mac};

use crate::{AttributeValue, Error, Item};

type HmacSha256 = hmac::Hmac<sha2::Sha256>;

const VERSION: u8 = 1;
const TAG_LEN: usize = 16;
const DEFAULT_KEY: &[u8] = b"dynamodel pagination cursor v1: integrity key (not a secret)";
const ENGINE: base64::engine::GeneralPurpose = base64::engine::general_purpose::URL_SAFE_NO_PAD;
/// Longest cursor accepted (keys are at most 2048 + 1024 bytes plus index keys).
const MAX_CURSOR_LEN: usize = 16 * 1024;

/// The secret that authenticates pagination cursors (see [`Db::with_cursor_secret`](crate::Db::with_cursor_secret)).
/// Its `Debug` output never shows the secret.
#[derive(Clone)]
pub struct CursorSecret(std::sync::Arc<[u8]>);

impl CursorSecret {
    /// Wraps secret bytes.
    pub fn new(secret: impl AsRef<[u8]>) -> Self {
        CursorSecret(std::sync::Arc::from(secret.as_ref()))
    }
}

impl std::fmt::Debug for CursorSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CursorSecret(<redacted>)")
    }
}

/// What a cursor is bound to.
pub(crate) struct Binding<'a> {
    pub model: &'static str,
    pub op: &'static str,
    pub table: &'a str,
    pub index: Option<&'a str>,
    pub segment: Option<(i32, i32)>,
}

impl Binding<'_> {
    fn bytes(&self) -> Vec<u8> {
        let segment = self
            .segment
            .map(|(s, n)| format!("{s}/{n}"))
            .unwrap_or_default();
        let mut out = Vec::new();
        for part in [
            self.model,
            self.op,
            self.table,
            self.index.unwrap_or(""),
            segment.as_str(),
        ] {
            out.extend_from_slice(&(part.len() as u32).to_be_bytes());
            out.extend_from_slice(part.as_bytes());
        }
        out
    }
}

fn mac(
    secret: Option<&CursorSecret>,
    binding: &Binding,
    payload: &[u8],
) -> Result<HmacSha256, Error> {
    let key: &[u8] = secret.map(|s| &*s.0).unwrap_or(DEFAULT_KEY);
    // HMAC takes keys of any length; the error cannot happen, but is not unwrapped.
    let mut mac =
        <HmacSha256 as KeyInit>::new_from_slice(key).map_err(|_| Error::InvalidCursor {
            model: binding.model,
            reason: "the cursor secret cannot be used as an HMAC key",
        })?;
    mac.update(&binding.bytes());
    mac.update(payload);
    Ok(mac)
}

/// Encodes `key` as a cursor bound to `binding`.
pub(crate) fn encode(
    secret: Option<&CursorSecret>,
    binding: &Binding,
    key: &Item,
) -> Result<String, Error> {
    let mut payload = vec![VERSION];
    let mut names: Vec<&String> = key.keys().collect();
    names.sort();
    let count =
        u8::try_from(names.len()).map_err(|_| invalid(binding, "too many key attributes"))?;
    payload.push(count);
    for name in names {
        let (tag, value): (u8, &[u8]) = match &key[name] {
            AttributeValue::S(s) => (b'S', s.as_bytes()),
            AttributeValue::N(n) => (b'N', n.as_bytes()),
            AttributeValue::B(b) => (b'B', b.as_ref()),
            _ => {
                return Err(invalid(
                    binding,
                    "a key attribute is not a string, number or binary",
                ))
            }
        };
        let name_len =
            u16::try_from(name.len()).map_err(|_| invalid(binding, "key name too long"))?;
        payload.extend_from_slice(&name_len.to_be_bytes());
        payload.extend_from_slice(name.as_bytes());
        payload.push(tag);
        payload.extend_from_slice(&(value.len() as u32).to_be_bytes());
        payload.extend_from_slice(value);
    }
    let tag = mac(secret, binding, &payload)?.finalize().into_bytes();
    payload.extend_from_slice(&tag[..TAG_LEN]);
    Ok(ENGINE.encode(payload))
}

fn invalid(binding: &Binding, reason: &'static str) -> Error {
    Error::InvalidCursor {
        model: binding.model,
        reason,
    }
}

/// Decodes and checks a cursor; `expected_names` are the key attributes it must carry.
pub(crate) fn decode(
    secret: Option<&CursorSecret>,
    binding: &Binding,
    cursor: &str,
    expected_names: &[&str],
) -> Result<Item, Error> {
    if cursor.len() > MAX_CURSOR_LEN {
        return Err(invalid(binding, "the cursor is too long"));
    }
    let bytes = ENGINE
        .decode(cursor.trim())
        .map_err(|_| invalid(binding, "the cursor is not URL-safe base64"))?;
    if bytes.len() < 2 + TAG_LEN {
        return Err(invalid(binding, "the cursor is truncated"));
    }
    if bytes[0] != VERSION {
        return Err(invalid(binding, "the cursor has an unknown version"));
    }
    let (payload, tag) = bytes.split_at(bytes.len() - TAG_LEN);
    mac(secret, binding, payload)?
        .verify_truncated_left(tag)
        .map_err(|_| {
            invalid(
                binding,
                "the cursor was altered, or was issued for another table, index, model or cursor secret",
            )
        })?;
    let malformed = || invalid(binding, "the cursor's key is malformed");
    let mut rest = &payload[2..];
    let mut take = |n: usize| -> Result<&[u8], Error> {
        if rest.len() < n {
            return Err(malformed());
        }
        let (head, tail) = rest.split_at(n);
        rest = tail;
        Ok(head)
    };
    let mut key = Item::new();
    for _ in 0..payload[1] {
        let name_len = u16::from_be_bytes(take(2)?.try_into().map_err(|_| malformed())?) as usize;
        let name = String::from_utf8(take(name_len)?.to_vec()).map_err(|_| malformed())?;
        let tag = take(1)?[0];
        let len = u32::from_be_bytes(take(4)?.try_into().map_err(|_| malformed())?) as usize;
        let value = take(len)?.to_vec();
        let value = match tag {
            b'S' => AttributeValue::S(String::from_utf8(value).map_err(|_| malformed())?),
            b'N' => AttributeValue::N(String::from_utf8(value).map_err(|_| malformed())?),
            b'B' => AttributeValue::B(aws_smithy_types::Blob::new(value)),
            _ => return Err(malformed()),
        };
        key.insert(name, value);
    }
    if !rest.is_empty() {
        return Err(malformed());
    }
    let mut names: Vec<&str> = key.keys().map(String::as_str).collect();
    names.sort_unstable();
    let mut expected: Vec<&str> = expected_names.to_vec();
    expected.sort_unstable();
    expected.dedup();
    if names != expected {
        return Err(invalid(
            binding,
            "the cursor's key attributes are not those of this table or index",
        ));
    }
    Ok(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn binding(index: Option<&str>) -> Binding<'_> {
        Binding {
            model: "User",
            op: "Query",
            table: "users",
            index,
            segment: None,
        }
    }

    fn key() -> Item {
        let mut key = Item::new();
        key.insert("id".into(), AttributeValue::S("u-1".into()));
        key.insert("n".into(), AttributeValue::N("42".into()));
        key
    }

    #[test]
    fn round_trips_and_is_url_safe() {
        let cursor = encode(None, &binding(None), &key()).unwrap();
        assert!(cursor
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
        let back = decode(None, &binding(None), &cursor, &["n", "id"]).unwrap();
        assert_eq!(back, key());
    }

    #[test]
    fn every_altered_byte_is_refused() {
        let cursor = encode(None, &binding(None), &key()).unwrap();
        let bytes = ENGINE.decode(&cursor).unwrap();
        for i in 0..bytes.len() {
            let mut altered = bytes.clone();
            altered[i] ^= 0x01;
            let err = decode(None, &binding(None), &ENGINE.encode(&altered), &["n", "id"]);
            assert!(matches!(err, Err(Error::InvalidCursor { .. })), "byte {i}");
        }
    }

    #[test]
    fn foreign_bindings_and_secrets_are_refused() {
        let cursor = encode(None, &binding(None), &key()).unwrap();
        assert!(decode(None, &binding(Some("by_email")), &cursor, &["n", "id"]).is_err());
        let secret = CursorSecret::new("s3cret");
        assert!(decode(Some(&secret), &binding(None), &cursor, &["n", "id"]).is_err());
        let signed = encode(Some(&secret), &binding(None), &key()).unwrap();
        assert!(decode(Some(&secret), &binding(None), &signed, &["n", "id"]).is_ok());
        assert!(decode(None, &binding(None), &signed, &["n", "id"]).is_err());
        assert!(decode(None, &binding(None), &cursor, &["id"]).is_err());
        assert!(format!("{secret:?}").contains("redacted"));
    }
}
