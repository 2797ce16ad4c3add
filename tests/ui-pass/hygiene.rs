//! Generated code must use absolute paths only: these shadowing definitions
//! would break any relative `Result`, `Option`, `Some`, `String`, `HashMap`...

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

#[derive(::dynamodel::Model)]
#[dynamodel(table = "users")]
struct User {
    #[dynamodel(hash_key)]
    id: ::std::string::String,
    #[dynamodel(range_key)]
    n: u64,
    nickname: ::core::option::Option<::std::string::String>,
}

fn main() {
    let _ = <User as ::dynamodel::Model>::fields().n;
}
