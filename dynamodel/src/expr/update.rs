//! Update expressions: the untyped actions behind `db.update(...)`.

use std::fmt::Write as _;

use aws_sdk_dynamodb::types::AttributeValue;

use super::condition::Operand;
use super::{ExprBuilder, Path, PathElement};
use crate::Error;

/// The right-hand side of a `SET` action.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum SetValue {
    /// `path = :value`
    Value(Operand),
    /// `path = if_not_exists(path, :value)`
    IfNotExists(Operand),
    /// `path = other_path`
    Path(Path),
    /// `path = if_not_exists(path, :zero) + :amount`
    Increment {
        /// The number zero of the attribute's type.
        zero: Operand,
        /// How much to add.
        amount: Operand,
    },
    /// `path = if_not_exists(path, :zero) - :amount`
    Decrement {
        /// The number zero of the attribute's type.
        zero: Operand,
        /// How much to subtract.
        amount: Operand,
    },
    /// `path = list_append(if_not_exists(path, :empty), :list)`
    Append(Operand),
    /// `path = list_append(:list, if_not_exists(path, :empty))`
    Prepend(Operand),
}

/// One action of an update expression.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum UpdateAction {
    /// `SET path = ...`
    Set(Path, SetValue),
    /// `REMOVE path`
    Remove(Path),
    /// `ADD path :value` (numbers and sets)
    Add(Path, Operand),
    /// `DELETE path :value` (set elements)
    Delete(Path, Operand),
}

impl UpdateAction {
    /// The attribute path the action writes.
    pub fn path(&self) -> &Path {
        match self {
            UpdateAction::Set(path, _)
            | UpdateAction::Remove(path)
            | UpdateAction::Add(path, _)
            | UpdateAction::Delete(path, _) => path,
        }
    }
}

impl UpdateAction {
    /// The operands the action sends (values, and paths for `SET a = b`).
    pub(crate) fn operands(&self) -> Vec<&Operand> {
        match self {
            UpdateAction::Set(_, value) => match value {
                SetValue::Value(v)
                | SetValue::IfNotExists(v)
                | SetValue::Append(v)
                | SetValue::Prepend(v) => vec![v],
                SetValue::Increment { zero, amount } | SetValue::Decrement { zero, amount } => {
                    vec![zero, amount]
                }
                SetValue::Path(_) => Vec::new(),
            },
            UpdateAction::Remove(_) => Vec::new(),
            UpdateAction::Add(_, v) | UpdateAction::Delete(_, v) => vec![v],
        }
    }

    /// The value stored as the whole attribute by `SET path = :v` or
    /// `SET path = if_not_exists(path, :v)`, when converted.
    pub(crate) fn stored_value(&self) -> Option<&AttributeValue> {
        match self {
            UpdateAction::Set(
                _,
                SetValue::Value(Operand::Value { value: Ok(v), .. })
                | SetValue::IfNotExists(Operand::Value { value: Ok(v), .. }),
            ) => Some(v),
            _ => None,
        }
    }
}

/// The actions of one update, rendered as one `UpdateExpression`.
#[derive(Debug, Clone, Default)]
pub struct UpdateExpression {
    actions: Vec<UpdateAction>,
}

fn overlaps(a: &Path, b: &Path) -> bool {
    let (a, b) = (a.elements(), b.elements());
    let n = a.len().min(b.len());
    a[..n] == b[..n]
}

impl UpdateExpression {
    /// No actions yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds an action.
    pub fn push(&mut self, action: UpdateAction) {
        self.actions.push(action);
    }

    /// The actions so far.
    pub fn actions(&self) -> &[UpdateAction] {
        &self.actions
    }

    /// Whether an action writes `path` or a path inside or around it.
    pub fn touches(&self, path: &Path) -> bool {
        self.actions.iter().any(|a| overlaps(a.path(), path))
    }

    /// Renders `SET ... REMOVE ... ADD ... DELETE ...`, adding placeholders to
    /// `builder`. Fails with [`Error::InvalidRequest`] when there is no
    /// action or two actions write overlapping paths (DynamoDB refuses both).
    pub fn render(&self, builder: &mut ExprBuilder, model: &'static str) -> Result<String, Error> {
        if self.actions.is_empty() {
            return Err(Error::InvalidRequest {
                model,
                message: "an update needs at least one action (set, add, remove, ...)".to_owned(),
            });
        }
        for (i, a) in self.actions.iter().enumerate() {
            for b in &self.actions[i + 1..] {
                if overlaps(a.path(), b.path()) {
                    return Err(Error::InvalidRequest {
                        model,
                        message: format!(
                            "one update writes both `{}` and `{}`; DynamoDB refuses overlapping paths in one update",
                            a.path().display_name(),
                            b.path().display_name()
                        ),
                    });
                }
            }
        }
        let mut set = Vec::new();
        let mut remove = Vec::new();
        let mut add = Vec::new();
        let mut delete = Vec::new();
        for action in &self.actions {
            match action {
                UpdateAction::Set(path, value) => {
                    let p = path.render(builder);
                    let rhs = match value {
                        SetValue::Value(v) => v.render(builder, model)?,
                        SetValue::IfNotExists(v) => {
                            format!("if_not_exists({p}, {})", v.render(builder, model)?)
                        }
                        SetValue::Path(other) => other.render(builder),
                        SetValue::Increment { zero, amount } => format!(
                            "if_not_exists({p}, {}) + {}",
                            zero.render(builder, model)?,
                            amount.render(builder, model)?
                        ),
                        SetValue::Decrement { zero, amount } => format!(
                            "if_not_exists({p}, {}) - {}",
                            zero.render(builder, model)?,
                            amount.render(builder, model)?
                        ),
                        SetValue::Append(list) => {
                            let empty = builder.value(AttributeValue::L(Vec::new()));
                            format!(
                                "list_append(if_not_exists({p}, {empty}), {})",
                                list.render(builder, model)?
                            )
                        }
                        SetValue::Prepend(list) => {
                            let list = list.render(builder, model)?;
                            let empty = builder.value(AttributeValue::L(Vec::new()));
                            format!("list_append({list}, if_not_exists({p}, {empty}))")
                        }
                    };
                    set.push(format!("{p} = {rhs}"));
                }
                UpdateAction::Remove(path) => remove.push(path.render(builder)),
                UpdateAction::Add(path, value) => {
                    let p = path.render(builder);
                    add.push(format!("{p} {}", value.render(builder, model)?));
                }
                UpdateAction::Delete(path, value) => {
                    let p = path.render(builder);
                    delete.push(format!("{p} {}", value.render(builder, model)?));
                }
            }
        }
        let mut out = String::new();
        for (keyword, clauses) in [
            ("SET", set),
            ("REMOVE", remove),
            ("ADD", add),
            ("DELETE", delete),
        ] {
            if clauses.is_empty() {
                continue;
            }
            if !out.is_empty() {
                out.push(' ');
            }
            let _ = write!(out, "{keyword} {}", clauses.join(", "));
        }
        Ok(out)
    }
}

/// Whether `path` is the top-level attribute `name`.
pub(crate) fn is_top_level(path: &Path, name: &str) -> bool {
    matches!(path.elements(), [PathElement::Attribute(n)] if n == name)
}

/// Whether `path` starts at the top-level attribute `name`.
pub(crate) fn update_starts_at(path: &Path, name: &str) -> bool {
    matches!(path.elements().first(), Some(PathElement::Attribute(n)) if n == name)
}
