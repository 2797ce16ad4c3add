//! Update expressions: the untyped actions behind `db.update(...)`.

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
    /// The value operands the action sends (none for `SET a = b` and
    /// `REMOVE`), without a list of its own: this runs on every update.
    pub(crate) fn operands(&self) -> impl Iterator<Item = &Operand> {
        let (first, second) = match self {
            UpdateAction::Set(_, value) => match value {
                SetValue::Value(v)
                | SetValue::IfNotExists(v)
                | SetValue::Append(v)
                | SetValue::Prepend(v) => (Some(v), None),
                SetValue::Increment { zero, amount } | SetValue::Decrement { zero, amount } => {
                    (Some(zero), Some(amount))
                }
                SetValue::Path(_) => (None, None),
            },
            UpdateAction::Remove(_) => (None, None),
            UpdateAction::Add(_, v) | UpdateAction::Delete(_, v) => (Some(v), None),
        };
        first.into_iter().chain(second)
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

    /// How many name and value placeholders rendering the actions makes at
    /// most: every step of every path (a name used twice counts twice), and
    /// every value (with the empty list an append or prepend starts from).
    /// An `if_not_exists` repeats its action's own path, which adds no name.
    pub(crate) fn placeholder_bounds(&self) -> (usize, usize) {
        // A path's steps bound its names (a list index is a step without a
        // name: counted anyway, it only makes room). One plain match per
        // action: this runs on every update.
        let mut names = 0;
        let mut values = 0;
        // An operand's values; its names go to `names`.
        let operand = |operand: &Operand, names: &mut usize| match operand {
            Operand::Value { .. } => 1,
            Operand::Path(path) | Operand::Size(path) => {
                *names += path.elements().len();
                0
            }
        };
        for action in &self.actions {
            names += action.path().elements().len();
            match action {
                UpdateAction::Set(_, value) => match value {
                    SetValue::Value(v) | SetValue::IfNotExists(v) => {
                        values += operand(v, &mut names)
                    }
                    SetValue::Path(from) => names += from.elements().len(),
                    SetValue::Increment { zero, amount } | SetValue::Decrement { zero, amount } => {
                        values += operand(zero, &mut names) + operand(amount, &mut names);
                    }
                    // With the empty list of `if_not_exists(path, :empty)`.
                    SetValue::Append(v) | SetValue::Prepend(v) => {
                        values += operand(v, &mut names) + 1;
                    }
                },
                UpdateAction::Remove(_) => {}
                UpdateAction::Add(_, v) | UpdateAction::Delete(_, v) => {
                    values += operand(v, &mut names)
                }
            }
        }
        (names, values)
    }

    /// Whether an action writes `path` or a path inside or around it.
    pub fn touches(&self, path: &Path) -> bool {
        self.actions.iter().any(|a| overlaps(a.path(), path))
    }

    /// Renders `SET ... REMOVE ... ADD ... DELETE ...`, adding placeholders to
    /// `builder`. Fails with [`Error::InvalidRequest`] when there is no
    /// action or two actions write overlapping paths (DynamoDB refuses both).
    pub fn render(&self, builder: &mut ExprBuilder, model: &'static str) -> Result<String, Error> {
        self.clone().render_taking(builder, model)
    }

    /// [`UpdateExpression::render`], moving each value into `builder`
    /// instead of copying it: every value rendered is left `NULL` here, so
    /// only the actions' paths and kinds mean anything afterwards (a
    /// request's build renders its expression once, as its last use).
    pub(crate) fn render_taking(
        &mut self,
        builder: &mut ExprBuilder,
        model: &'static str,
    ) -> Result<String, Error> {
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
        // Placeholders are numbered as the actions were added. Most
        // updates use one clause: rendered straight into the expression.
        let first = clause_of(&self.actions[0]);
        if self.actions.iter().all(|action| clause_of(action) == first) {
            let mut out = String::with_capacity(rendered_len_estimate(&self.actions));
            out.push_str(CLAUSES[first]);
            out.push(' ');
            for (i, action) in self.actions.iter_mut().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                render_action(action, builder, model, &mut out)?;
            }
            return Ok(out);
        }
        // Several clauses: one buffer each, filled in action order, joined
        // at the end.
        let mut clauses: [String; 4] = Default::default();
        for action in &mut self.actions {
            let out = &mut clauses[clause_of(action)];
            if !out.is_empty() {
                out.push_str(", ");
            }
            render_action(action, builder, model, out)?;
        }
        let mut out = String::new();
        for (keyword, clause) in CLAUSES.into_iter().zip(clauses) {
            if clause.is_empty() {
                continue;
            }
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(keyword);
            out.push(' ');
            out.push_str(&clause);
        }
        Ok(out)
    }
}

/// About how long `actions` of one clause render with one- or two-digit
/// placeholders: the single-clause expression is written into one string
/// of (about) its final size, not grown.
pub(super) fn rendered_len_estimate(actions: &[UpdateAction]) -> usize {
    // The clause keyword and its space, then `, ` between actions.
    let separators = "DELETE ".len() + 2 * actions.len();
    separators + actions.iter().map(action_len_estimate).sum::<usize>()
}

/// About how long `action` renders (see [`rendered_len_estimate`]).
fn action_len_estimate(action: &UpdateAction) -> usize {
    // `#n12` and a dot or `[..]` per step.
    let path = 5 * action.path().elements().len();
    let value = 4;
    match action {
        // `p = :v`, `p = q`
        UpdateAction::Set(_, SetValue::Value(_)) => path + 3 + value,
        UpdateAction::Set(_, SetValue::Path(other)) => path + 3 + 5 * other.elements().len(),
        // `p = if_not_exists(p, :v)`
        UpdateAction::Set(_, SetValue::IfNotExists(_)) => 2 * path + 19 + value,
        // `p = if_not_exists(p, :z) + :v`
        UpdateAction::Set(_, SetValue::Increment { .. } | SetValue::Decrement { .. }) => {
            2 * path + 22 + 2 * value
        }
        // `p = list_append(if_not_exists(p, :e), :v)`
        UpdateAction::Set(_, SetValue::Append(_) | SetValue::Prepend(_)) => {
            2 * path + 34 + 2 * value
        }
        UpdateAction::Remove(_) => path,
        // `p :v`
        UpdateAction::Add(..) | UpdateAction::Delete(..) => path + 1 + value,
    }
}

/// The clauses of an update expression, in the order they are written.
const CLAUSES: [&str; 4] = ["SET", "REMOVE", "ADD", "DELETE"];

/// The index in [`CLAUSES`] of `action`'s clause.
fn clause_of(action: &UpdateAction) -> usize {
    match action {
        UpdateAction::Set(..) => 0,
        UpdateAction::Remove(_) => 1,
        UpdateAction::Add(..) => 2,
        UpdateAction::Delete(..) => 3,
    }
}

/// One action within its clause (`path = value`, `path`, `path :value`),
/// appended to `out`; its values move into `builder`.
fn render_action(
    action: &mut UpdateAction,
    builder: &mut ExprBuilder,
    model: &'static str,
    out: &mut String,
) -> Result<(), Error> {
    match action {
        UpdateAction::Set(path, value) => {
            path.render_into(builder, out);
            out.push_str(" = ");
            render_set_value(path, value, builder, model, out)
        }
        UpdateAction::Remove(path) => {
            path.render_into(builder, out);
            Ok(())
        }
        UpdateAction::Add(path, value) | UpdateAction::Delete(path, value) => {
            path.render_into(builder, out);
            out.push(' ');
            value.render_taking(builder, model, out)
        }
    }
}

/// The right-hand side of `SET path = ...`, appended to `out`; its values
/// move into `builder`.
fn render_set_value(
    path: &Path,
    value: &mut SetValue,
    builder: &mut ExprBuilder,
    model: &'static str,
    out: &mut String,
) -> Result<(), Error> {
    // `if_not_exists(path, :v)`: the path renders to the same placeholders again.
    let if_not_exists = |builder: &mut ExprBuilder, out: &mut String, fallback: &mut Operand| {
        out.push_str("if_not_exists(");
        path.render_into(builder, out);
        out.push_str(", ");
        fallback.render_taking(builder, model, out)?;
        out.push(')');
        Ok::<(), Error>(())
    };
    match value {
        SetValue::Value(v) => v.render_taking(builder, model, out)?,
        SetValue::IfNotExists(v) => if_not_exists(builder, out, v)?,
        SetValue::Path(other) => other.render_into(builder, out),
        SetValue::Increment { zero, amount } => {
            if_not_exists(builder, out, zero)?;
            out.push_str(" + ");
            amount.render_taking(builder, model, out)?;
        }
        SetValue::Decrement { zero, amount } => {
            if_not_exists(builder, out, zero)?;
            out.push_str(" - ");
            amount.render_taking(builder, model, out)?;
        }
        SetValue::Append(list) => {
            out.push_str("list_append(if_not_exists(");
            path.render_into(builder, out);
            out.push_str(", ");
            builder.value_into(AttributeValue::L(Vec::new()), out);
            out.push_str("), ");
            list.render_taking(builder, model, out)?;
            out.push(')');
        }
        SetValue::Prepend(list) => {
            out.push_str("list_append(");
            list.render_taking(builder, model, out)?;
            out.push_str(", if_not_exists(");
            path.render_into(builder, out);
            out.push_str(", ");
            builder.value_into(AttributeValue::L(Vec::new()), out);
            out.push_str("))");
        }
    }
    Ok(())
}

/// Whether `path` is the top-level attribute `name`.
pub(crate) fn is_top_level(path: &Path, name: &str) -> bool {
    matches!(path.elements(), [PathElement::Attribute(n)] if n == name)
}

/// Whether `path` starts at the top-level attribute `name`.
pub(crate) fn update_starts_at(path: &Path, name: &str) -> bool {
    matches!(path.elements().first(), Some(PathElement::Attribute(n)) if n == name)
}
