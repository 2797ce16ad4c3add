//! The stream processor: the `shop-stream` Lambda, triggered by the shop
//! table's DynamoDB stream.
