//! The HTTP API: routes over the shop's access patterns, served by the
//! `shop-api` Lambda behind API Gateway.
