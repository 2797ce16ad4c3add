//! The code `#[derive(Document)]` generates for member settings (validation,
//! transforms, nested handles) uses absolute paths only.

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
mod core {}
mod std {}
mod dynamodel {}

fn trim(v: ::std::string::String) -> ::std::string::String {
    ::std::string::ToString::to_string(v.trim())
}

fn not_zero(geo: &Geo) -> bool {
    geo.lat != 0
}

#[derive(::dynamodel::Document)]
#[dynamodel(validate = not_zero, rename_all = "camelCase")]
struct Geo {
    #[dynamodel(range(min = -90, max = 90))]
    lat: i32,
}

#[derive(::dynamodel::Document)]
struct Address {
    #[dynamodel(set = trim, get = trim, regex = "^[a-z]+$", length(max = 8))]
    city: ::std::string::String,
    #[dynamodel(one_of(1, 2), set = ::core::convert::identity)]
    floor: ::core::option::Option<u32>,
    geo: ::std::vec::Vec<Geo>,
}

#[derive(::dynamodel::Document)]
#[dynamodel(rename_all = "SCREAMING_SNAKE_CASE")]
enum Plan {
    FreeTier,
    Pro,
}

#[derive(::dynamodel::Model)]
#[dynamodel(table = "users")]
struct User {
    #[dynamodel(hash_key)]
    id: ::std::string::String,
    address: Address,
    plan: Plan,
}

fn main() {
    let _ = <User as ::dynamodel::Model>::fields().address.nested().city;
}

/// Recursive documents still compile (a tree of comments).
#[derive(::dynamodel::Document)]
struct Node {
    #[dynamodel(length(max = 3))]
    children: ::std::vec::Vec<Node>,
}
