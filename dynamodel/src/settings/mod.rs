//! The runtime side of the attribute settings `#[dynamodel(...)]`: what a
//! setting reports ([`ValidationErrors`]), what it needs from a field's type
//! (the rule traits, [`Emptiable`], [`Timestamp`]) and the [`Hooks`] a model
//! may implement.
//!
//! The settings are applied by the pipelines in [`crate::pipeline`], which
//! document their order; the functions generated code calls to apply them
//! live in `crate::generated`.
//!
//! | module | holds |
//! |---|---|
//! | `validation` | [`ValidationError`], [`ValidationErrors`], [`ValidationOutcome`] |
//! | `rules` | [`HasLength`], [`Ranged`], [`Text`]: which validation rule fits which type |
//! | `defaults` | [`Emptiable`]: when `default` fills a value |
//! | `generate` | [`GenerateUuid`], [`GenerateUlid`]: `generate = "uuid_v7"` and when it fills a value |
//! | `timestamp` | [`Timestamp`]: the types of `created_at` / `updated_at` fields |
//! | `hooks` | [`Hooks`], [`BoxError`], [`HookFuture`], what update hooks see ([`UpdateInfo`], [`UpdateChanges`], [`ChangeKind`], [`UpdateReturn`]) |

pub(crate) mod defaults;
pub(crate) mod generate;
pub(crate) mod hooks;
pub(crate) mod rules;
pub(crate) mod timestamp;
pub(crate) mod validation;

pub use defaults::Emptiable;
pub use generate::{GenerateUlid, GenerateUuid};
pub use hooks::{BoxError, ChangeKind, HookFuture, Hooks, UpdateChanges, UpdateInfo, UpdateReturn};
pub use rules::{HasLength, Ranged, Text};
pub use timestamp::Timestamp;
pub use validation::{ValidationError, ValidationErrors, ValidationOutcome};
