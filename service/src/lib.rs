//! The shop of `dynamodel-examples` as a serverless service: an HTTP API
//! Lambda ([`api`]) in front of the shop's one table, and a DynamoDB
//! Streams Lambda ([`stream`]) behind it, on the table [`table`] defines.

pub mod api;
pub mod stream;
pub mod table;
