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

fn main() {
    let _: UserEmailIndexIndex = User::indexes().email_index;
    let _ = User::indexes().by_nick;
    let _ = User::indexes().by_age;
    let _ = <User as ::dynamodel::Model>::index_schemas();
}
