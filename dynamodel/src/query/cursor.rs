//! Opaque pagination cursors: a resume key, encoded for HTTP clients and
//! bound to the read that issued it, so that altered or foreign cursors are
//! refused with [`Error::InvalidCursor`].
//!
//! # What a cursor is bound to
//!
//! The model, the table (with its prefix), the index, the operation (query or
//! scan), the scan segment, the sort direction (`.descending()`) and the
//! sort-key condition with its values. A cursor presented to a read that
//! differs in any of these is refused: an ascending cursor reused on a
//! descending query would otherwise silently return the items *before* it,
//! and one reused with another sort-key condition could lie outside it. The
//! partition key value is checked too (it is part of the resume key). The
//! filter and the projection are not bound: they do not change where a read
//! resumes, so a cursor may be reused with another filter.
//!
//! # The two modes
//!
//! **Without a secret** (the default) a cursor is URL-safe base64 (no padding)
//! of `2 | key | tag`: `key` is the resume key in the clear (for each
//! attribute its name, its type `S`, `N` or `B`, and its value) and `tag` is
//! HMAC-SHA-256, truncated to 128 bits, over the binding and the key, with a
//! fixed key built into dynamodel. This is an **integrity check, not a
//! protection**: it refuses damaged, truncated and misrouted cursors, but
//! anyone who decodes the base64 reads the key values (ids, sometimes
//! e-mail addresses), and anyone who reads dynamodel's source can forge a
//! cursor. The worst a forged cursor does is start the same read (same
//! table, index, partition, direction and key condition) at another key.
//!
//! **With a secret** ([`Db::with_cursor_secret`](crate::Db::with_cursor_secret))
//! a cursor is URL-safe base64 of `3 | nonce | ciphertext`: the key is
//! encrypted and authenticated with XChaCha20-Poly1305 (the binding is the
//! associated data), under a 256-bit key derived from the secret with
//! HKDF-SHA-256, and a random 192-bit nonce per cursor. Whoever holds such a
//! cursor learns nothing of the key values but their total length, and
//! cannot forge or alter one without the secret; a cursor issued under
//! another secret, or without one, is refused. Two cursors for the same
//! position differ (fresh nonce). Cursors do not expire: a cursor stays
//! valid for as long as the secret does.

use base64::Engine as _;
use chacha20poly1305::aead::{Aead, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use hmac::{KeyInit, Mac};

use crate::schema::key_value_bytes;
use crate::{AttributeValue, Error, Item};

type HmacSha256 = hmac::Hmac<sha2::Sha256>;

/// First byte of a cursor checked with the built-in key (key readable).
const PLAIN: u8 = 2;
/// First byte of a cursor encrypted under a secret.
const SEALED: u8 = 3;
const TAG_LEN: usize = 16;
const NONCE_LEN: usize = 24;
const DEFAULT_KEY: &[u8] = b"dynamodel pagination cursor v2: integrity key (not a secret)";
const KDF_SALT: &[u8] = b"dynamodel pagination cursor";
const KDF_INFO: &[u8] = b"XChaCha20-Poly1305 key, cursor format 3";
const ENGINE: base64::engine::GeneralPurpose = base64::engine::general_purpose::URL_SAFE_NO_PAD;
/// Longest cursor accepted: keys are at most 2048 + 1024 bytes, twice with
/// an index's keys, which encodes to about 8.3 KB even when encrypted.
const MAX_CURSOR_LEN: usize = 16 * 1024;

/// The secret that protects pagination cursors (see [`Db::with_cursor_secret`](crate::Db::with_cursor_secret)).
/// Its `Debug` output never shows the secret.
#[derive(Clone)]
pub struct CursorSecret(std::sync::Arc<[u8]>);

impl CursorSecret {
    /// Wraps secret bytes; the encryption key is derived from them with HKDF,
    /// so any length works, but use at least 32 random bytes.
    pub fn new(secret: impl AsRef<[u8]>) -> Self {
        CursorSecret(std::sync::Arc::from(secret.as_ref()))
    }

    fn cipher(&self, binding: &Binding) -> Result<XChaCha20Poly1305, Error> {
        let mut key = [0u8; 32];
        // Expanding to 32 bytes cannot fail (HKDF allows up to 8160); not unwrapped.
        hkdf::Hkdf::<sha2::Sha256>::new(Some(KDF_SALT), &self.0)
            .expand(KDF_INFO, &mut key)
            .map_err(|_| invalid(binding, "the cursor key cannot be derived"))?;
        Ok(XChaCha20Poly1305::new(&key.into()))
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
    pub descending: bool,
    /// The sort-key condition's fingerprint (empty without one).
    pub key_condition: &'a [u8],
}

impl Binding<'_> {
    /// The binding as associated data, prefixed with the cursor's format byte.
    fn bytes(&self, format: u8) -> Vec<u8> {
        let segment = self
            .segment
            .map(|(s, n)| format!("{s}/{n}"))
            .unwrap_or_default();
        let direction: &[u8] = if self.descending { b"desc" } else { b"asc" };
        let mut out = vec![format];
        for part in [
            self.model.as_bytes(),
            self.op.as_bytes(),
            self.table.as_bytes(),
            self.index.unwrap_or("").as_bytes(),
            segment.as_bytes(),
            direction,
            self.key_condition,
        ] {
            // Length-prefixed, so that no two bindings share their bytes.
            out.extend_from_slice(&(part.len() as u32).to_be_bytes());
            out.extend_from_slice(part);
        }
        out
    }
}

fn invalid(binding: &Binding, reason: &'static str) -> Error {
    Error::InvalidCursor {
        model: binding.model,
        reason,
    }
}

const FOREIGN: &str = "the cursor was altered, or was issued for another table, index, model, sort order, key condition or cursor secret";

fn mac(binding: &Binding, signed: &[u8]) -> Result<HmacSha256, Error> {
    // HMAC takes keys of any length; the error cannot happen, but is not unwrapped.
    let mut mac = <HmacSha256 as KeyInit>::new_from_slice(DEFAULT_KEY)
        .map_err(|_| invalid(binding, "the cursor integrity key cannot be used"))?;
    mac.update(&binding.bytes(PLAIN));
    mac.update(signed);
    Ok(mac)
}

/// Encodes `key` as a cursor bound to `binding`, encrypted when there is a secret.
pub(crate) fn encode(
    secret: Option<&CursorSecret>,
    binding: &Binding,
    key: &Item,
) -> Result<String, Error> {
    let mut names: Vec<&String> = key.keys().collect();
    names.sort();
    let count =
        u8::try_from(names.len()).map_err(|_| invalid(binding, "too many key attributes"))?;
    let mut payload = vec![count];
    for name in names {
        let name_len =
            u16::try_from(name.len()).map_err(|_| invalid(binding, "key name too long"))?;
        payload.extend_from_slice(&name_len.to_be_bytes());
        payload.extend_from_slice(name.as_bytes());
        key_value_bytes(&mut payload, &key[name])
            .ok_or_else(|| invalid(binding, "a key attribute is not a string, number or binary"))?;
    }
    let bytes = match secret {
        None => {
            let tag = mac(binding, &payload)?.finalize().into_bytes();
            let mut out = vec![PLAIN];
            out.append(&mut payload);
            out.extend_from_slice(&tag[..TAG_LEN]);
            out
        }
        Some(secret) => {
            let mut nonce = [0u8; NONCE_LEN];
            getrandom::fill(&mut nonce)
                .map_err(|_| invalid(binding, "no randomness for the cursor's nonce"))?;
            let aad = binding.bytes(SEALED);
            let sealed = secret
                .cipher(binding)?
                .encrypt(
                    &XNonce::from(nonce),
                    Payload {
                        msg: &payload,
                        aad: &aad,
                    },
                )
                .map_err(|_| invalid(binding, "the cursor cannot be encrypted"))?;
            let mut out = vec![SEALED];
            out.extend_from_slice(&nonce);
            out.extend_from_slice(&sealed);
            out
        }
    };
    Ok(ENGINE.encode(bytes))
}

/// Checks (and with a secret decrypts) a cursor's bytes: its key payload.
fn open(secret: Option<&CursorSecret>, binding: &Binding, bytes: &[u8]) -> Result<Vec<u8>, Error> {
    match (bytes.first().copied(), secret) {
        (Some(PLAIN), None) => {
            if bytes.len() < 2 + TAG_LEN {
                return Err(invalid(binding, "the cursor is truncated"));
            }
            let (payload, tag) = bytes[1..].split_at(bytes.len() - 1 - TAG_LEN);
            mac(binding, payload)?
                .verify_truncated_left(tag)
                .map_err(|_| invalid(binding, FOREIGN))?;
            Ok(payload.to_vec())
        }
        (Some(SEALED), Some(secret)) => {
            if bytes.len() < 1 + NONCE_LEN + TAG_LEN {
                return Err(invalid(binding, "the cursor is truncated"));
            }
            let (nonce, sealed) = bytes[1..].split_at(NONCE_LEN);
            let nonce = XNonce::try_from(nonce).map_err(|_| invalid(binding, FOREIGN))?;
            let aad = binding.bytes(SEALED);
            secret
                .cipher(binding)?
                .decrypt(
                    &nonce,
                    Payload {
                        msg: sealed,
                        aad: &aad,
                    },
                )
                .map_err(|_| invalid(binding, FOREIGN))
        }
        (Some(PLAIN), Some(_)) => Err(invalid(
            binding,
            "the cursor was issued without the cursor secret this handle has",
        )),
        (Some(SEALED), None) => Err(invalid(
            binding,
            "the cursor was issued with a cursor secret this handle does not have",
        )),
        _ => Err(invalid(binding, "the cursor has an unknown version")),
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
    let payload = open(secret, binding, &bytes)?;
    let malformed = || invalid(binding, "the cursor's key is malformed");
    let (count, mut rest) = payload.split_first().ok_or_else(malformed)?;
    let mut take = |n: usize| -> Result<&[u8], Error> {
        if rest.len() < n {
            return Err(malformed());
        }
        let (head, tail) = rest.split_at(n);
        rest = tail;
        Ok(head)
    };
    let mut key = Item::new();
    for _ in 0..*count {
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
            descending: false,
            key_condition: b"",
        }
    }

    const SENTINEL: &str = "ada.lovelace@example.com";

    fn key() -> Item {
        let mut key = Item::new();
        key.insert("id".into(), AttributeValue::S(SENTINEL.into()));
        key.insert("n".into(), AttributeValue::N("42".into()));
        key
    }

    fn secret() -> CursorSecret {
        CursorSecret::new("s3cret")
    }

    fn reason(result: Result<Item, Error>) -> &'static str {
        match result {
            Err(Error::InvalidCursor { reason, .. }) => reason,
            other => panic!("expected InvalidCursor, got {other:?}"),
        }
    }

    /// A cursor with the built-in key over any payload, as only a reader of
    /// this source could make one: for malformed-key cases.
    fn forge(binding: &Binding, payload: &[u8]) -> String {
        let tag = mac(binding, payload).unwrap().finalize().into_bytes();
        let mut bytes = vec![PLAIN];
        bytes.extend_from_slice(payload);
        bytes.extend_from_slice(&tag[..TAG_LEN]);
        ENGINE.encode(bytes)
    }

    fn contains(haystack: &[u8], needle: &[u8]) -> bool {
        haystack.windows(needle.len()).any(|w| w == needle)
    }

    #[test]
    fn round_trips_and_is_url_safe_in_both_modes() {
        for secret in [None, Some(secret())] {
            let cursor = encode(secret.as_ref(), &binding(None), &key()).unwrap();
            assert!(cursor
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
            let back = decode(secret.as_ref(), &binding(None), &cursor, &["n", "id"]).unwrap();
            assert_eq!(back, key());
        }
    }

    #[test]
    fn the_plain_form_is_readable_and_the_sealed_form_is_not() {
        let plain = ENGINE
            .decode(encode(None, &binding(None), &key()).unwrap())
            .unwrap();
        assert_eq!(plain[0], PLAIN);
        assert!(contains(&plain, SENTINEL.as_bytes()));
        let sealed = ENGINE
            .decode(encode(Some(&secret()), &binding(None), &key()).unwrap())
            .unwrap();
        assert_eq!(sealed[0], SEALED);
        for needle in [SENTINEL, "ada", "example", "42", "id"] {
            assert!(!contains(&sealed, needle.as_bytes()), "{needle}");
        }
        // A fresh nonce per cursor: the same position gives different cursors.
        let again = ENGINE
            .decode(encode(Some(&secret()), &binding(None), &key()).unwrap())
            .unwrap();
        assert_ne!(sealed, again);
    }

    #[test]
    fn binary_keys_round_trip_in_both_modes() {
        let mut key = Item::new();
        key.insert(
            "blob".into(),
            AttributeValue::B(aws_smithy_types::Blob::new(vec![0xff, 0x00, 0xfe, b'S'])),
        );
        for secret in [None, Some(secret())] {
            let cursor = encode(secret.as_ref(), &binding(None), &key).unwrap();
            let back = decode(secret.as_ref(), &binding(None), &cursor, &["blob"]).unwrap();
            assert_eq!(back, key);
        }
    }

    #[test]
    fn keys_of_the_largest_size_fit_and_the_length_limit_is_exact() {
        use crate::limits::{MAX_PARTITION_KEY_BYTES, MAX_SORT_KEY_BYTES};
        let mut key = Item::new();
        key.insert(
            "pk".into(),
            AttributeValue::S("p".repeat(MAX_PARTITION_KEY_BYTES)),
        );
        key.insert(
            "sk".into(),
            AttributeValue::N("9".repeat(MAX_SORT_KEY_BYTES)),
        );
        key.insert(
            "gpk".into(),
            AttributeValue::B(aws_smithy_types::Blob::new(vec![
                7;
                MAX_PARTITION_KEY_BYTES
            ])),
        );
        key.insert(
            "gsk".into(),
            AttributeValue::S("s".repeat(MAX_SORT_KEY_BYTES)),
        );
        let names = ["pk", "sk", "gpk", "gsk"];
        for secret in [None, Some(secret())] {
            let cursor = encode(secret.as_ref(), &binding(None), &key).unwrap();
            assert!(cursor.len() < MAX_CURSOR_LEN, "{}", cursor.len());
            assert_eq!(
                decode(secret.as_ref(), &binding(None), &cursor, &names).unwrap(),
                key
            );
        }
        // Exactly at the limit is read (and refused for its content); one more is too long.
        let at_limit = "A".repeat(MAX_CURSOR_LEN);
        assert_eq!(
            reason(decode(None, &binding(None), &at_limit, &names)),
            "the cursor has an unknown version"
        );
        let over = "A".repeat(MAX_CURSOR_LEN + 1);
        assert_eq!(
            reason(decode(None, &binding(None), &over, &names)),
            "the cursor is too long"
        );
    }

    #[test]
    fn every_altered_byte_is_refused_in_both_modes() {
        for secret in [None, Some(secret())] {
            let cursor = encode(secret.as_ref(), &binding(None), &key()).unwrap();
            let bytes = ENGINE.decode(&cursor).unwrap();
            for i in 0..bytes.len() {
                let mut altered = bytes.clone();
                altered[i] ^= 0x01;
                let result = decode(
                    secret.as_ref(),
                    &binding(None),
                    &ENGINE.encode(&altered),
                    &["n", "id"],
                );
                assert!(
                    matches!(result, Err(Error::InvalidCursor { .. })),
                    "byte {i}"
                );
            }
        }
    }

    #[test]
    fn every_part_of_the_binding_is_checked_in_both_modes() {
        let base = binding(Some("by_email"));
        let others = [
            Binding {
                model: "Order",
                ..binding(Some("by_email"))
            },
            Binding {
                op: "Scan",
                ..binding(Some("by_email"))
            },
            Binding {
                table: "users2",
                ..binding(Some("by_email"))
            },
            binding(None),
            binding(Some("by_name")),
            Binding {
                segment: Some((0, 2)),
                ..binding(Some("by_email"))
            },
            Binding {
                descending: true,
                ..binding(Some("by_email"))
            },
            Binding {
                key_condition: b">",
                ..binding(Some("by_email"))
            },
            // Same bytes, cut elsewhere: the parts are length-prefixed.
            Binding {
                table: "usersby_email",
                index: None,
                ..binding(None)
            },
        ];
        for secret in [None, Some(secret())] {
            let cursor = encode(secret.as_ref(), &base, &key()).unwrap();
            assert!(decode(secret.as_ref(), &base, &cursor, &["n", "id"]).is_ok());
            for (i, other) in others.iter().enumerate() {
                assert_eq!(
                    reason(decode(secret.as_ref(), other, &cursor, &["n", "id"])),
                    FOREIGN,
                    "binding {i}"
                );
            }
        }
        let segmented = |segment| Binding {
            segment,
            ..binding(None)
        };
        let cursor = encode(None, &segmented(Some((1, 4))), &key()).unwrap();
        assert!(decode(None, &segmented(Some((1, 4))), &cursor, &["n", "id"]).is_ok());
        assert!(decode(None, &segmented(Some((4, 1))), &cursor, &["n", "id"]).is_err());
    }

    #[test]
    fn secrets_must_match() {
        let plain = encode(None, &binding(None), &key()).unwrap();
        let sealed = encode(Some(&secret()), &binding(None), &key()).unwrap();
        let other = CursorSecret::new("an0ther");
        assert_eq!(
            reason(decode(Some(&other), &binding(None), &sealed, &["n", "id"])),
            FOREIGN
        );
        assert_eq!(
            reason(decode(
                Some(&secret()),
                &binding(None),
                &plain,
                &["n", "id"]
            )),
            "the cursor was issued without the cursor secret this handle has"
        );
        assert_eq!(
            reason(decode(None, &binding(None), &sealed, &["n", "id"])),
            "the cursor was issued with a cursor secret this handle does not have"
        );
        assert!(format!("{:?}", secret()).contains("redacted"));
        assert!(!format!("{:?}", secret()).contains("s3cret"));
    }

    #[test]
    fn short_cursors_are_truncated_or_foreign() {
        let b = binding(None);
        let refuse = |bytes: Vec<u8>, secret: Option<&CursorSecret>| {
            reason(decode(secret, &b, &ENGINE.encode(bytes), &[]))
        };
        // The shortest plain cursor (no key attributes) is valid; one byte less is truncated.
        let empty = encode(None, &b, &Item::new()).unwrap();
        assert_eq!(ENGINE.decode(&empty).unwrap().len(), 2 + TAG_LEN);
        assert_eq!(decode(None, &b, &empty, &[]).unwrap(), Item::new());
        assert_eq!(
            refuse(vec![PLAIN; 1 + TAG_LEN], None),
            "the cursor is truncated"
        );
        let s = secret();
        let empty = encode(Some(&s), &b, &Item::new()).unwrap();
        assert_eq!(decode(Some(&s), &b, &empty, &[]).unwrap(), Item::new());
        assert_eq!(
            refuse(vec![SEALED; 1 + NONCE_LEN + TAG_LEN], Some(&s)),
            FOREIGN
        );
        assert_eq!(
            refuse(vec![SEALED; NONCE_LEN + TAG_LEN], Some(&s)),
            "the cursor is truncated"
        );
        assert_eq!(refuse(vec![], None), "the cursor has an unknown version");
        assert_eq!(
            refuse(vec![1; 40], None),
            "the cursor has an unknown version"
        );
        assert_eq!(
            reason(decode(None, &b, "not base64!", &[])),
            "the cursor is not URL-safe base64"
        );
    }

    #[test]
    fn malformed_keys_are_refused_even_when_signed() {
        let b = binding(None);
        let malformed = "the cursor's key is malformed";
        let attr = |tag: u8, value: &[u8]| {
            let mut out = vec![0, 1, b'k', tag];
            out.extend_from_slice(&(value.len() as u32).to_be_bytes());
            out.extend_from_slice(value);
            out
        };
        let with_count = |count: u8, attrs: &[u8]| {
            let mut out = vec![count];
            out.extend_from_slice(attrs);
            out
        };
        let ok = with_count(1, &attr(b'S', b"v"));
        let mut expected = Item::new();
        expected.insert("k".into(), AttributeValue::S("v".into()));
        assert_eq!(decode(None, &b, &forge(&b, &ok), &["k"]).unwrap(), expected);
        let mut trailing = ok.clone();
        trailing.push(0);
        let cases: Vec<Vec<u8>> = vec![
            with_count(2, &attr(b'S', b"v")),
            trailing,
            with_count(1, &attr(b'X', b"v")),
            with_count(1, &attr(b'S', &[0xff])),
            with_count(1, &attr(b'N', &[0xff])),
            with_count(1, &[0, 1, 0xff, b'S', 0, 0, 0, 0]),
            with_count(1, &[0, 1]),
            with_count(1, &[0, 1, b'k', b'S', 0, 0, 0, 9, b'v']),
        ];
        for (i, payload) in cases.iter().enumerate() {
            assert_eq!(
                reason(decode(None, &b, &forge(&b, payload), &["k"])),
                malformed,
                "case {i}"
            );
        }
        // An empty key payload can only come encrypted (a plain one is truncated).
        let s = secret();
        let nonce = [9u8; NONCE_LEN];
        let aad = b.bytes(SEALED);
        let mut sealed = vec![SEALED];
        sealed.extend_from_slice(&nonce);
        let empty = Payload {
            msg: &[],
            aad: &aad,
        };
        sealed.extend(
            s.cipher(&b)
                .unwrap()
                .encrypt(&XNonce::from(nonce), empty)
                .unwrap(),
        );
        assert_eq!(
            reason(decode(Some(&s), &b, &ENGINE.encode(sealed), &[])),
            malformed
        );
        let numbers = with_count(1, &attr(b'N', b"7"));
        assert_eq!(
            decode(None, &b, &forge(&b, &numbers), &["k"]).unwrap()["k"],
            AttributeValue::N("7".into())
        );
    }

    #[test]
    fn the_key_attributes_must_be_the_expected_ones() {
        let cursor = encode(None, &binding(None), &key()).unwrap();
        let wrong = "the cursor's key attributes are not those of this table or index";
        assert_eq!(
            reason(decode(None, &binding(None), &cursor, &["id"])),
            wrong
        );
        assert_eq!(
            reason(decode(None, &binding(None), &cursor, &["id", "n", "x"])),
            wrong
        );
        // An index sharing a key attribute with the table names it twice.
        assert!(decode(None, &binding(None), &cursor, &["n", "id", "n"]).is_ok());
    }

    #[test]
    fn keys_dynamodb_cannot_have_are_refused_when_encoding() {
        let refuse = |key: &Item| match encode(None, &binding(None), key) {
            Err(Error::InvalidCursor { reason, .. }) => reason,
            other => panic!("{other:?}"),
        };
        let mut bad = Item::new();
        bad.insert("b".into(), AttributeValue::Bool(true));
        assert_eq!(
            refuse(&bad),
            "a key attribute is not a string, number or binary"
        );
        let mut long = Item::new();
        long.insert("x".repeat(1 << 16), AttributeValue::S("v".into()));
        assert_eq!(refuse(&long), "key name too long");
        let mut name_at_limit = Item::new();
        name_at_limit.insert("x".repeat(u16::MAX as usize), AttributeValue::S("v".into()));
        assert!(encode(None, &binding(None), &name_at_limit).is_ok());
        let many: Item = (0..256)
            .map(|i| (format!("k{i}"), AttributeValue::S("v".into())))
            .collect();
        assert_eq!(refuse(&many), "too many key attributes");
        let most: Item = (0..255)
            .map(|i| (format!("k{i}"), AttributeValue::S("v".into())))
            .collect();
        let names: Vec<String> = most.keys().cloned().collect();
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        let cursor = encode(None, &binding(None), &most).unwrap();
        assert_eq!(decode(None, &binding(None), &cursor, &names).unwrap(), most);
    }
}
