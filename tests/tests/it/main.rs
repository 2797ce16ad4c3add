//! Integration tests against DynamoDB Local (started by `dynamodel::local`).
//! One binary, so the server starts once and the SDK is linked once.

mod batch;
mod batch_faults;
mod batch_progress;
mod config;
mod crud;
mod datekeys;
mod documents;
mod examples;
mod expr;
mod generated;
mod keys;
mod limits;
mod query;
mod redact;
mod settings;
mod templates;
mod transaction;
mod types;
mod updates;
