//! Integration tests against DynamoDB Local (started by `dynamodel::local`).
//! One binary, so the server starts once and the SDK is linked once.

mod crud;
mod types;
