//! Generated code for schema settings must use absolute paths only, like the
//! rest of the derive: these shadowing definitions would break relative ones.

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
struct Default;
struct Clone;
mod core {}
mod std {}
mod dynamodel {}

fn lower(v: ::std::string::String) -> ::std::string::String {
    v.to_lowercase()
}

fn check(v: &str) -> ::core::result::Result<(), &'static str> {
    if v.is_empty() {
        ::core::result::Result::Err("empty")
    } else {
        ::core::result::Result::Ok(())
    }
}

fn whole(_: &User) -> bool {
    true
}

#[derive(::dynamodel::Model)]
#[dynamodel(table = "users", rename_all = "camelCase", timestamps, validate = whole)]
struct User {
    #[dynamodel(hash_key)]
    id: ::std::string::String,
    #[dynamodel(set = lower, get = lower, regex = "^[a-z]+$", length(min = 1), validate = check)]
    user_name: ::std::string::String,
    #[dynamodel(default = "x", one_of("x", "y"))]
    kind: ::core::option::Option<::std::string::String>,
    #[dynamodel(range(min = 0, max = 10.5))]
    score: f64,
    #[dynamodel(skip)]
    cache: u32,
    #[dynamodel(unknown)]
    extra: ::std::collections::HashMap<::std::string::String, ::dynamodel::AttributeValue>,
    created_at: u64,
    updated_at: ::core::option::Option<i64>,
}

fn main() {
    let _ = <User as ::dynamodel::Model>::fields().user_name;
}
