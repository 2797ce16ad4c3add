//! Generated index code must use absolute paths only, and index handles are
//! usable from user code.

#![allow(dead_code, non_camel_case_types)]

struct Result;
struct Option;
struct Some;
struct None;
struct Ok;
struct Err;
struct String;
struct HashMap;
struct Vec;
struct Box;
struct Clone;
struct Copy;
struct Debug;
mod core {}
mod std {}
mod dynamodel {}

#[derive(::dynamodel::Model)]
#[dynamodel(
    table = "users",
    gsi(name = "email-index", hash = email, range = n, projection = include(nickname)),
    gsi(name = "by_nick", hash = nickname, projection = "keys_only"),
    lsi(name = "by_age", range = age)
)]
struct User {
    #[dynamodel(hash_key)]
    id: ::std::string::String,
    #[dynamodel(range_key)]
    n: u64,
    email: ::std::string::String,
    age: u32,
    nickname: ::core::option::Option<::std::string::String>,
}

#[derive(::dynamodel::Model)]
#[dynamodel(
    table = "shop",
    pk = "CUSTOMER#{customer}",
    sk = "ORDER#{n}",
    gsi(name = "gsi1", pk = "STATUS#{status}", sk = "{n}#{coupon}"),
    gsi(name = "by_region", hash(region, status), range(n, age)),
    lsi(name = "lsi1", sk = "AGE#{age}")
)]
struct Order {
    customer: ::std::string::String,
    n: u64,
    status: ::std::string::String,
    region: ::std::string::String,
    age: u32,
    coupon: ::core::option::Option<::std::string::String>,
}

fn main() {
    let _: OrderGsi1SortKey = OrderGsi1SortKey::prefix_n(7);
    let _ = OrderGsi1PartitionKey::from(::std::string::String::from("PAID"));
    let _ = OrderByRegionPartitionKey::from(("eu".into(), "PAID".into()));
    let _ = OrderByRegionSortKey::prefix_n(7);
    let _ = OrderLsi1SortKey::prefix();
    let _ = <Order as ::dynamodel::Model>::index_schemas();
    let _: UserEmailIndexIndex = User::indexes().email_index;
    let _ = User::indexes().by_nick;
    let _ = User::indexes().by_age;
    let _ = <User as ::dynamodel::Model>::index_schemas();
}
