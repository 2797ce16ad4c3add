//! Fields `generate` fills inside key templates (the primary key's and an
//! index's, plain and `Option`, renamed) expand with absolute paths only,
//! and what an update of such a model uses is usable from user code: the
//! handles, `composite()` for the generated value, the index's key types
//! and the generated-field descriptions updates read.

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
    table = "passes",
    pk = "PASS#{id}",
    gsi(name = "by_event", pk = "EVENT#{event}", sk = "{zone}#{serial}"),
    gsi(name = "by_badge", pk = "BADGE#{badge}")
)]
struct Pass {
    #[dynamodel(generate = "ulid")]
    id: ::std::string::String,
    event: ::std::string::String,
    zone: ::std::string::String,
    #[dynamodel(generate = "ulid", rename = "s")]
    serial: ::std::string::String,
    #[dynamodel(generate = "uuid_v4")]
    badge: ::core::option::Option<::std::string::String>,
}

fn upsert(db: &::dynamodel::Db) -> ::dynamodel::Result<::dynamodel::ops::UpdateRequest> {
    let fields = <Pass as ::dynamodel::Model>::fields();
    db.upsert::<Pass>(::std::string::String::from("p1"))
        .set(&fields.event, ::std::string::String::from("e1"))
        .set(&fields.zone, ::std::string::String::from("B"))
        .composite(&fields.serial, ::std::string::String::from("01J"))
        .to_request()
}

fn main() {
    let _: &'static [&'static str] = <Pass as ::dynamodel::Model>::generated_template_fields();
    let _ = <Pass as ::dynamodel::Model>::generate_index_fields();
    let _ = <Pass as ::dynamodel::Model>::index_key_templates();
    let _ = PassByEventSortKey::prefix_zone(::std::string::String::from("B"));
    let _ = PassByBadgePartitionKey::from(::std::string::String::from("b"));
    let _ = Pass::indexes().by_event;
    let _ = upsert;
}
