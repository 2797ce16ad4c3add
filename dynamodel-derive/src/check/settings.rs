//! The schema settings of a model's fields: what a key cannot take, the
//! pairs that exclude each other, `skip` / `unknown` alone, one catch-all,
//! and the fields `timestamps` needs.

use crate::ast::Model;
use crate::attr::path_name;
use crate::ctxt::Ctxt;

pub fn check(cx: &Ctxt, model: &Model) {
    let mut unknown_fields = 0;
    for field in &model.fields {
        let s = &field.attrs.settings;
        if field.is_key {
            let given = "a key must be given explicitly on every write, or made by `generate = \"uuid_v7\"` (or \"uuid_v4\", \"ulid\")";
            let matched = "the key that get, delete and query are given would not match the stored one; normalize the key before building it";
            for (path, what, why) in [
                (s.default.as_ref().map(|d| &d.0), "a default", given),
                (s.default_with.as_ref().map(|d| &d.0), "a default", given),
                (s.force_default.as_ref(), "a default", given),
                (s.skip.as_ref(), "`skip`", given),
                (s.unknown.as_ref(), "`unknown`", given),
                (s.created_at.as_ref(), "a timestamp", given),
                (s.updated_at.as_ref(), "a timestamp", given),
                (s.set.as_ref().map(|d| &d.0), "a `set` transform", matched),
                (s.get.as_ref().map(|d| &d.0), "a `get` transform", matched),
            ] {
                if let Some(path) = path {
                    cx.error_spanned_by(
                        path,
                        format!("key field `{}` cannot have {what}: {why}", field.ident),
                    );
                }
            }
        }
        if let Some((generate, _)) = &s.generate {
            let other = [
                (s.default.as_ref().map(|d| &d.0), "a `default`"),
                (s.default_with.as_ref().map(|d| &d.0), "a `default`"),
                (s.force_default.as_ref(), "`force_default`"),
                (s.created_at.as_ref(), "a timestamp"),
                (s.updated_at.as_ref(), "a timestamp"),
                (field.attrs.version.as_ref(), "`version`"),
            ]
            .into_iter()
            .find_map(|(path, what)| path.map(|_| what));
            if let Some(what) = other {
                cx.error_spanned_by(
                    generate,
                    format!(
                        "field `{}` cannot have both `generate` and {what}: a generated field is filled only by its generator",
                        field.ident
                    ),
                );
            }
        }
        if let (Some(_), Some((p, _))) = (&s.default, &s.default_with) {
            cx.error_spanned_by(p, "set either `default` or `default_with`, not both");
        }
        if let Some(force) = &s.force_default {
            if s.default.is_none() && s.default_with.is_none() {
                cx.error_spanned_by(
                    force,
                    "`force_default` needs a `default = ..` or `default_with = ..` to force",
                );
            }
        }
        if let (Some(_), Some(updated)) = (&s.created_at, &s.updated_at) {
            cx.error_spanned_by(
                updated,
                "a field is either `created_at` or `updated_at`, not both",
            );
        }
        if let Some(flag) = s.skip.as_ref().or(s.unknown.as_ref()) {
            let others = s
                .given()
                .any(|p| !p.is_ident("skip") && !p.is_ident("unknown"))
                || field.attrs.rename.is_some();
            if others || (s.skip.is_some() && s.unknown.is_some()) {
                cx.error_spanned_by(
                    flag,
                    format!(
                        "`{}` fields are not stored as an attribute of their own, so they take no other settings",
                        path_name(flag)
                    ),
                );
            }
        }
        if s.unknown.is_some() {
            unknown_fields += 1;
            if unknown_fields == 2 {
                cx.error_spanned_by(
                    s.unknown.as_ref(),
                    "only one field can be the `unknown` catch-all",
                );
            }
        }
    }
    if let Some(timestamps) = &model.attrs.timestamps {
        for name in ["created_at", "updated_at"] {
            if !model.fields.iter().any(|f| f.ident == name) {
                cx.error_spanned_by(
                    timestamps,
                    format!(
                        "`timestamps` needs a field named `{name}` (u64/i64 epoch milliseconds or a date-time type), or mark your own fields with #[dynamodel(created_at)] / #[dynamodel(updated_at)]"
                    ),
                );
            }
        }
    }
}
