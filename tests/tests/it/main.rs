//! Integration tests against DynamoDB Local (started by `dynamodel::local`).
//! One binary, so the server starts once and the SDK is linked once.

mod batch;
mod batch_faults;
mod batch_progress;
mod crud;
mod datekeys;
mod documents;
mod expr;
mod limits;
mod query;
mod redact;
mod settings;
mod streamed;
mod templates;
mod transaction;
mod types;
mod updates;
