//! Integration tests against DynamoDB Local (started by `dynamodel::local`).
//! One binary, so the server starts once and the SDK is linked once.

mod batch;
mod batch_faults;
mod batch_progress;
mod collections;
mod config;
mod crud;
mod datekeys;
mod documents;
mod ensure;
mod entities;
mod examples;
mod expr;
mod generated;
mod index_templates;
mod keys;
mod limits;
mod multi_key_indexes;
mod names;
mod patches;
mod query;
mod redact;
mod settings;
mod shop;
mod streamed;
mod streams;
mod table_fixture;
mod tables;
mod templates;
mod transaction;
mod ttl;
mod types;
mod updates;
