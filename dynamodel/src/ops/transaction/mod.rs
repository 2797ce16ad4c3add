//! Transactions: [`crate::Db::transact_write`] and [`crate::Db::transact_get`].
//!
//! A write transaction mixes creates, puts, deletes, updates and condition
//! checks over any models; each action is the point operation's own builder
//! (`db.put(&x).condition(c)`, `db.update::<M>(key).set(..)`), so it carries
//! the same conditions, version check and bump as when sent alone. Before anything
//! is sent, dynamodel checks that there are 1 to
//! [`MAX_TRANSACTION_ACTIONS`](crate::limits::MAX_TRANSACTION_ACTIONS) actions and no two on the same item, and runs
//! every written item through [`crate::pipeline::PreparedWrite`]; a mistake
//! fails with [`crate::Error::Item`] naming the action's index.
//!
//! Every write transaction carries a client request token (yours, from
//! [`TransactWrite::client_request_token`], or a random one), so dynamodel
//! can safely send it again after throttling, a server error or a lost
//! response: DynamoDB applies a token's transaction at most once (within 10
//! minutes). A cancelled transaction fails with
//! [`crate::Error::TransactionCanceled`], one [`CancellationReason`] per action.
//!
//! ```no_run
//! use dynamodel::{Db, Model};
//! use dynamodel::ops::CancellationCode;
//!
//! #[derive(Model, Debug, Clone, PartialEq)]
//! #[dynamodel(table = "accounts")]
//! struct Account { #[dynamodel(hash_key)] id: String, balance: i64 }
//!
//! # async fn demo(db: Db) -> dynamodel::Result<()> {
//! let result = db
//!     .transact_write()
//!     .put(db.put(&Account { id: "a".into(), balance: 90 }).condition(Account::fields().balance.eq(100)))
//!     .put(db.put(&Account { id: "b".into(), balance: 10 }).condition(Account::fields().balance.eq(0)))
//!     .client_request_token("transfer-42")
//!     .await;
//! if let Err(err) = &result {
//!     for reason in err.cancellation_reasons().unwrap_or_default() {
//!         if reason.code == CancellationCode::ConditionalCheckFailed {
//!             let current: Option<Account> = reason.item::<Account>().transpose()?;
//!             println!("action #{} failed; the item is now {current:?}", reason.index);
//!         }
//!     }
//! }
//!
//! let read = db.transact_get().get::<Account>("a").get::<Account>("b").await?;
//! let accounts: Vec<Account> = read.items::<Account>()?;
//! # Ok(()) }
//! ```

mod get;
mod keys;
mod write;

pub use get::{TransactGet, TransactGetOutput};
pub use write::TransactWrite;
// Why a transaction was cancelled, defined with the error that carries it.
pub use crate::error::{CancellationCode, CancellationReason, TransactionCanceled};

/// A random client request token (32 lowercase hex digits), written
/// digit by digit: formatting it cost more than the SDK's own token.
fn random_token() -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut bits = fastrand::u128(..);
    let mut token = String::with_capacity(32);
    for _ in 0..32 {
        token.push(char::from(HEX[(bits & 0xf) as usize]));
        bits >>= 4;
    }
    token
}

#[cfg(test)]
mod tests {
    use super::random_token;

    #[test]
    fn a_random_token_is_32_lowercase_hex_digits_and_differs_each_time() {
        let tokens: Vec<String> = (0..64).map(|_| random_token()).collect();
        for token in &tokens {
            assert_eq!(token.len(), 32);
            assert!(token
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)));
        }
        let mut distinct = tokens.clone();
        distinct.sort();
        distinct.dedup();
        assert_eq!(distinct.len(), tokens.len());
        // Every digit shows up somewhere: no nibble is stuck.
        let all: String = tokens.concat();
        for digit in "0123456789abcdef".chars() {
            assert!(all.contains(digit), "{digit} never appears");
        }
    }
}
