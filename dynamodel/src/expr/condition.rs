//! Conditions: the typed [`Condition`] and the untyped tree behind it.

use std::collections::HashMap;
use std::marker::PhantomData;

use aws_sdk_dynamodb::types::AttributeValue;

use super::{ExprBuilder, Path};
use crate::value::ConvertError;
use crate::{Error, Model};

/// A value inside a condition: an attribute, a literal, or an attribute's size.
#[derive(Clone)]
pub enum Operand {
    /// The value of an attribute.
    Path(Path),
    /// A literal value (or the reason it could not be converted).
    Value {
        /// The attribute the value is written to or compared with, named
        /// by error messages (formatted only when an error is made; the
        /// path is shared with the field handle, not copied).
        attribute: Path,
        /// The converted value.
        value: Result<AttributeValue, ConvertError>,
    },
    /// `size(path)`.
    Size(Path),
}

impl std::fmt::Debug for Operand {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Operand::Path(path) => f.debug_tuple("Path").field(path).finish(),
            Operand::Size(path) => f.debug_tuple("Size").field(path).finish(),
            Operand::Value { attribute, value } => f
                .debug_struct("Value")
                .field("attribute", &attribute.display_name())
                .field("value", &value.as_ref().map(crate::redact::Redacted))
                .finish(),
        }
    }
}

impl Operand {
    /// Renders the operand into `out`, adding its placeholders to
    /// `builder`; a value moves into `builder` (it is left `NULL` here: a
    /// request renders its expressions once, as their last use). Fails
    /// with the value's conversion error ([`Error::Encode`]).
    pub(crate) fn render_taking(
        &mut self,
        builder: &mut ExprBuilder,
        model: &'static str,
        out: &mut String,
    ) -> Result<(), Error> {
        match self {
            // Most operands: a value, moved (the rest out of line, so that
            // this stays small where it is inlined).
            Operand::Value { value: Ok(av), .. } => {
                builder.value_into(std::mem::replace(av, AttributeValue::Null(true)), out);
                Ok(())
            }
            operand => operand.render_other(builder, model, out),
        }
    }

    /// [`Operand::render_taking`] of a path, a size or a value that did not
    /// convert.
    #[inline(never)]
    fn render_other(
        &self,
        builder: &mut ExprBuilder,
        model: &'static str,
        out: &mut String,
    ) -> Result<(), Error> {
        match self {
            Operand::Path(path) => path.render_into(builder, out),
            Operand::Size(path) => {
                out.push_str("size(");
                path.render_into(builder, out);
                out.push(')');
            }
            Operand::Value { attribute, value } => {
                if let Err(source) = value {
                    return Err(Error::Encode {
                        model,
                        attribute: attribute.display_name(),
                        source: source.clone(),
                    });
                }
            }
        }
        Ok(())
    }

    fn name(&self) -> String {
        match self {
            Operand::Path(path) | Operand::Size(path) => path.display_name(),
            Operand::Value { attribute, .. } => attribute.display_name(),
        }
    }
}

/// Comparison operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Comparator {
    /// `=`
    Eq,
    /// `<>`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
}

impl Comparator {
    /// The operator as an expression writes it.
    pub(crate) fn symbol(self) -> &'static str {
        match self {
            Comparator::Eq => "=",
            Comparator::Ne => "<>",
            Comparator::Lt => "<",
            Comparator::Le => "<=",
            Comparator::Gt => ">",
            Comparator::Ge => ">=",
        }
    }
}

/// DynamoDB's attribute types, for [`crate::expr::Field::attribute_type`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AttributeType {
    /// String (`S`).
    String,
    /// Number (`N`).
    Number,
    /// Binary (`B`).
    Binary,
    /// Boolean (`BOOL`).
    Bool,
    /// Null (`NULL`).
    Null,
    /// Map (`M`).
    Map,
    /// List (`L`).
    List,
    /// String set (`SS`).
    StringSet,
    /// Number set (`NS`).
    NumberSet,
    /// Binary set (`BS`).
    BinarySet,
}

impl AttributeType {
    /// The type's tag in DynamoDB (`S`, `N`, `BOOL`, `SS`...).
    pub fn tag(self) -> &'static str {
        match self {
            AttributeType::String => "S",
            AttributeType::Number => "N",
            AttributeType::Binary => "B",
            AttributeType::Bool => "BOOL",
            AttributeType::Null => "NULL",
            AttributeType::Map => "M",
            AttributeType::List => "L",
            AttributeType::StringSet => "SS",
            AttributeType::NumberSet => "NS",
            AttributeType::BinarySet => "BS",
        }
    }
}

/// A condition over model `M`: for conditional writes, filters and key conditions.
///
/// Build one from the typed fields (`User::fields().age.gt(30)`) and combine
/// with [`Condition::and`], [`Condition::or`], [`Condition::not`],
/// [`Condition::all`] and [`Condition::any`]. Every combination is rendered
/// with parentheses, so grouping is always explicit: `a.and(b).or(c)` is
/// `((a) AND (b)) OR (c)`.
#[derive(Clone)]
pub struct Condition<M> {
    node: ConditionNode,
    model: PhantomData<fn() -> M>,
}

impl<M> std::fmt::Debug for Condition<M> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Condition").field(&self.node).finish()
    }
}

/// The untyped tree behind a [`Condition`].
///
/// Cloning, `Debug`, rendering and dropping walk the tree with an explicit
/// stack, never by recursion, so a tree of any depth is safe to handle;
/// rendering refuses one nested deeper than
/// [`MAX_CONDITION_DEPTH`](crate::limits::MAX_CONDITION_DEPTH).
#[non_exhaustive]
pub enum ConditionNode {
    /// `left op right`
    Compare(Operand, Comparator, Operand),
    /// `operand BETWEEN low AND high`
    Between(Operand, Operand, Operand),
    /// `operand IN (list)`
    In(Operand, Vec<Operand>),
    /// `begins_with(path, operand)`
    BeginsWith(Path, Operand),
    /// `contains(path, operand)`
    Contains(Path, Operand),
    /// `attribute_exists(path)`
    Exists(Path),
    /// `attribute_not_exists(path)`
    NotExists(Path),
    /// `attribute_type(path, type)`
    AttributeType(Path, &'static str),
    /// All must hold.
    And(Vec<ConditionNode>),
    /// At least one must hold.
    Or(Vec<ConditionNode>),
    /// Must not hold.
    Not(Box<ConditionNode>),
}

/// One step of walking a condition tree without recursion: a node to
/// visit, or text to write once the nodes pushed before it are done.
enum Step<N> {
    Node(N),
    Text(&'static str),
}

impl ConditionNode {
    /// The children of a group or negation (none for a leaf).
    fn children(&self) -> &[ConditionNode] {
        match self {
            ConditionNode::And(parts) | ConditionNode::Or(parts) => parts,
            ConditionNode::Not(inner) => std::slice::from_ref(&**inner),
            _ => &[],
        }
    }

    /// [`ConditionNode::children`], to change.
    fn children_mut(&mut self) -> &mut [ConditionNode] {
        match self {
            ConditionNode::And(parts) | ConditionNode::Or(parts) => parts,
            ConditionNode::Not(inner) => std::slice::from_mut(&mut **inner),
            _ => &mut [],
        }
    }

    /// Whether the node is a group (`And`, `Or`) or a negation (`Not`).
    fn is_combination(&self) -> bool {
        matches!(
            self,
            ConditionNode::And(_) | ConditionNode::Or(_) | ConditionNode::Not(_)
        )
    }

    /// How deeply groups (`And`, `Or`) and negations (`Not`) nest: 0 for a
    /// leaf, 1 for `a AND b`, 2 for `(a AND b) OR c`.
    pub fn depth(&self) -> usize {
        if !self.is_combination() {
            return 0;
        }
        let mut deepest = 0;
        let mut stack = vec![(self, 0usize)];
        while let Some((node, depth)) = stack.pop() {
            let depth = depth + usize::from(node.is_combination());
            deepest = deepest.max(depth);
            stack.extend(node.children().iter().map(|child| (child, depth)));
        }
        deepest
    }

    /// Renders the tree into `out`, adding its placeholders to `builder`.
    /// Fails with [`Error::LimitExceeded`] for a tree nested deeper than
    /// [`MAX_CONDITION_DEPTH`](crate::limits::MAX_CONDITION_DEPTH), and with
    /// [`Error::InvalidRequest`] for an empty group or `IN` list.
    pub fn render(
        &self,
        builder: &mut ExprBuilder,
        model: &'static str,
        out: &mut String,
    ) -> Result<(), Error> {
        self.clone().render_taking(builder, model, out)
    }

    /// [`ConditionNode::render`], moving each value into `builder` instead
    /// of copying it: every value rendered is left `NULL` here (a request's
    /// build renders its conditions once, as their last use).
    pub(crate) fn render_taking(
        &mut self,
        builder: &mut ExprBuilder,
        model: &'static str,
        out: &mut String,
    ) -> Result<(), Error> {
        crate::limits::check_condition_depth(model, self.depth())?;
        if !self.is_combination() {
            // Most conditions are one leaf: no walk needed.
            return self.render_leaf(builder, model, out);
        }
        let mut stack = vec![Step::Node(self)];
        while let Some(step) = stack.pop() {
            let node = match step {
                Step::Text(text) => {
                    out.push_str(text);
                    continue;
                }
                Step::Node(node) => node,
            };
            let joiner = match node {
                ConditionNode::And(_) => " AND ",
                ConditionNode::Or(_) => " OR ",
                ConditionNode::Not(_) => {
                    out.push_str("NOT ");
                    ""
                }
                leaf => {
                    leaf.render_leaf(builder, model, out)?;
                    continue;
                }
            };
            let parts = node.children_mut();
            if parts.is_empty() {
                return Err(Error::InvalidRequest {
                    model,
                    message:
                        "a condition combines no conditions (`Condition::all`/`any` of nothing)"
                            .to_owned(),
                });
            }
            // Pushed in reverse: the first part is written first.
            for (i, part) in parts.iter_mut().enumerate().rev() {
                stack.push(Step::Text(")"));
                stack.push(Step::Node(part));
                stack.push(Step::Text("("));
                if i > 0 {
                    stack.push(Step::Text(joiner));
                }
            }
        }
        Ok(())
    }

    /// Renders a node that is neither a group nor a negation, moving its
    /// values into `builder`.
    fn render_leaf(
        &mut self,
        builder: &mut ExprBuilder,
        model: &'static str,
        out: &mut String,
    ) -> Result<(), Error> {
        match self {
            ConditionNode::Compare(left, op, right) => {
                left.render_taking(builder, model, out)?;
                out.push(' ');
                out.push_str(op.symbol());
                out.push(' ');
                right.render_taking(builder, model, out)?;
            }
            ConditionNode::Between(operand, low, high) => {
                operand.render_taking(builder, model, out)?;
                out.push_str(" BETWEEN ");
                low.render_taking(builder, model, out)?;
                out.push_str(" AND ");
                high.render_taking(builder, model, out)?;
            }
            ConditionNode::In(operand, list) => {
                if list.is_empty() || list.len() > 100 {
                    return Err(Error::InvalidRequest {
                        model,
                        message: format!(
                            "IN takes 1 to 100 values, got {} for `{}`",
                            list.len(),
                            operand.name()
                        ),
                    });
                }
                operand.render_taking(builder, model, out)?;
                out.push_str(" IN (");
                for (i, item) in list.iter_mut().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    item.render_taking(builder, model, out)?;
                }
                out.push(')');
            }
            ConditionNode::BeginsWith(path, operand) => {
                render_call("begins_with(", path, operand, builder, model, out)?;
            }
            ConditionNode::Contains(path, operand) => {
                render_call("contains(", path, operand, builder, model, out)?;
            }
            ConditionNode::Exists(path) => {
                out.push_str(EXISTS);
                path.render_into(builder, out);
                out.push(')');
            }
            ConditionNode::NotExists(path) => {
                out.push_str(NOT_EXISTS);
                path.render_into(builder, out);
                out.push(')');
            }
            ConditionNode::AttributeType(path, kind) => {
                out.push_str("attribute_type(");
                path.render_into(builder, out);
                out.push_str(", ");
                builder.value_into(AttributeValue::S((*kind).to_owned()), out);
                out.push(')');
            }
            // Groups and negations are walked by `render`.
            ConditionNode::And(_) | ConditionNode::Or(_) | ConditionNode::Not(_) => {}
        }
        Ok(())
    }

    /// A copy of a leaf; a group or negation copies as an empty `And` (the
    /// caller rebuilds those from their children).
    fn clone_leaf(&self) -> ConditionNode {
        match self {
            ConditionNode::Compare(a, op, b) => ConditionNode::Compare(a.clone(), *op, b.clone()),
            ConditionNode::Between(a, low, high) => {
                ConditionNode::Between(a.clone(), low.clone(), high.clone())
            }
            ConditionNode::In(a, list) => ConditionNode::In(a.clone(), list.clone()),
            ConditionNode::BeginsWith(path, a) => {
                ConditionNode::BeginsWith(path.clone(), a.clone())
            }
            ConditionNode::Contains(path, a) => ConditionNode::Contains(path.clone(), a.clone()),
            ConditionNode::Exists(path) => ConditionNode::Exists(path.clone()),
            ConditionNode::NotExists(path) => ConditionNode::NotExists(path.clone()),
            ConditionNode::AttributeType(path, kind) => {
                ConditionNode::AttributeType(path.clone(), kind)
            }
            ConditionNode::And(_) | ConditionNode::Or(_) | ConditionNode::Not(_) => {
                ConditionNode::And(Vec::new())
            }
        }
    }
}

/// `function(path, operand)`, appended to `out` (`function` ends with its `(`).
fn render_call(
    function: &str,
    path: &Path,
    operand: &mut Operand,
    builder: &mut ExprBuilder,
    model: &'static str,
    out: &mut String,
) -> Result<(), Error> {
    out.push_str(function);
    path.render_into(builder, out);
    out.push_str(", ");
    operand.render_taking(builder, model, out)?;
    out.push(')');
    Ok(())
}

impl Clone for ConditionNode {
    // Post-order with an explicit stack: each group is rebuilt from its
    // copied children, so no depth can overflow the call stack.
    fn clone(&self) -> Self {
        enum Task<'a> {
            Visit(&'a ConditionNode),
            Build(&'a ConditionNode),
        }
        let mut tasks = vec![Task::Visit(self)];
        let mut built: Vec<ConditionNode> = Vec::new();
        while let Some(task) = tasks.pop() {
            match task {
                Task::Visit(node) if node.is_combination() => {
                    tasks.push(Task::Build(node));
                    tasks.extend(node.children().iter().rev().map(Task::Visit));
                }
                Task::Visit(leaf) => built.push(leaf.clone_leaf()),
                Task::Build(node) => {
                    let children = built.split_off(built.len() - node.children().len());
                    built.push(match node {
                        ConditionNode::Or(_) => ConditionNode::Or(children),
                        ConditionNode::Not(_) => ConditionNode::Not(Box::new(
                            children
                                .into_iter()
                                .next()
                                .unwrap_or_else(|| ConditionNode::And(Vec::new())),
                        )),
                        _ => ConditionNode::And(children),
                    });
                }
            }
        }
        built
            .pop()
            .unwrap_or_else(|| ConditionNode::And(Vec::new()))
    }
}

impl std::fmt::Debug for ConditionNode {
    // Written with an explicit stack, in the shape a derived `Debug` gives
    // (`And([Exists(..), Not(..)])`), so any depth is safe. `Operand`'s
    // `Debug` redacts values.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut stack = vec![Step::Node(self)];
        while let Some(step) = stack.pop() {
            let node = match step {
                Step::Text(text) => {
                    f.write_str(text)?;
                    continue;
                }
                Step::Node(node) => node,
            };
            let (open, close) = match node {
                ConditionNode::And(_) => ("And([", "])"),
                ConditionNode::Or(_) => ("Or([", "])"),
                ConditionNode::Not(_) => ("Not(", ")"),
                ConditionNode::Compare(a, op, b) => {
                    write!(f, "Compare({a:?}, {op:?}, {b:?})")?;
                    continue;
                }
                ConditionNode::Between(a, low, high) => {
                    write!(f, "Between({a:?}, {low:?}, {high:?})")?;
                    continue;
                }
                ConditionNode::In(a, list) => {
                    write!(f, "In({a:?}, {list:?})")?;
                    continue;
                }
                ConditionNode::BeginsWith(path, a) => {
                    write!(f, "BeginsWith({path:?}, {a:?})")?;
                    continue;
                }
                ConditionNode::Contains(path, a) => {
                    write!(f, "Contains({path:?}, {a:?})")?;
                    continue;
                }
                ConditionNode::Exists(path) => {
                    write!(f, "Exists({path:?})")?;
                    continue;
                }
                ConditionNode::NotExists(path) => {
                    write!(f, "NotExists({path:?})")?;
                    continue;
                }
                ConditionNode::AttributeType(path, kind) => {
                    write!(f, "AttributeType({path:?}, {kind:?})")?;
                    continue;
                }
            };
            f.write_str(open)?;
            stack.push(Step::Text(close));
            for (i, child) in node.children().iter().enumerate().rev() {
                stack.push(Step::Node(child));
                if i > 0 {
                    stack.push(Step::Text(", "));
                }
            }
        }
        Ok(())
    }
}

impl Drop for ConditionNode {
    // Moves every descendant onto a heap stack before it is dropped, so
    // dropping never recurses more than one level, whatever the depth.
    fn drop(&mut self) {
        fn detach(node: &mut ConditionNode, stack: &mut Vec<ConditionNode>) {
            match node {
                ConditionNode::And(parts) | ConditionNode::Or(parts) => stack.append(parts),
                ConditionNode::Not(inner) => {
                    stack.push(std::mem::replace(
                        &mut **inner,
                        ConditionNode::And(Vec::new()),
                    ));
                }
                _ => {}
            }
        }
        let mut stack = Vec::new();
        detach(self, &mut stack);
        while let Some(mut node) = stack.pop() {
            detach(&mut node, &mut stack);
        }
    }
}

impl<M: Model> Condition<M> {
    /// Wraps an untyped condition tree (for the runtime escape hatch).
    pub fn from_node(node: ConditionNode) -> Self {
        Condition {
            node,
            model: PhantomData,
        }
    }

    /// The untyped tree.
    pub fn node(&self) -> &ConditionNode {
        &self.node
    }

    /// The untyped tree, consuming the condition.
    pub fn into_node(self) -> ConditionNode {
        self.node
    }

    /// Both this and `other` must hold.
    pub fn and(self, other: Condition<M>) -> Self {
        let mut node = self.node;
        if let ConditionNode::And(parts) = &mut node {
            parts.push(other.node);
            return Self::from_node(node);
        }
        Self::from_node(ConditionNode::And(vec![node, other.node]))
    }

    /// This or `other` must hold.
    pub fn or(self, other: Condition<M>) -> Self {
        let mut node = self.node;
        if let ConditionNode::Or(parts) = &mut node {
            parts.push(other.node);
            return Self::from_node(node);
        }
        Self::from_node(ConditionNode::Or(vec![node, other.node]))
    }

    /// The negation of this condition.
    #[allow(clippy::should_implement_trait)]
    pub fn not(self) -> Self {
        Self::from_node(ConditionNode::Not(Box::new(self.node)))
    }

    /// Every one of `conditions` must hold, as one parenthesized group.
    /// Rendering fails with [`Error::InvalidRequest`] when it is empty.
    pub fn all(conditions: impl IntoIterator<Item = Condition<M>>) -> Self {
        Self::from_node(ConditionNode::And(
            conditions.into_iter().map(|c| c.node).collect(),
        ))
    }

    /// At least one of `conditions` must hold, as one parenthesized group.
    /// Rendering fails with [`Error::InvalidRequest`] when it is empty.
    pub fn any(conditions: impl IntoIterator<Item = Condition<M>>) -> Self {
        Self::from_node(ConditionNode::Or(
            conditions.into_iter().map(|c| c.node).collect(),
        ))
    }

    /// Renders the condition, adding its placeholders to `builder`.
    pub fn render(&self, builder: &mut ExprBuilder) -> Result<String, Error> {
        Self::from_node(self.node.clone()).render_taking(builder)
    }

    /// [`Condition::render`], moving the condition's values into `builder`
    /// instead of copying them.
    pub(crate) fn render_taking(mut self, builder: &mut ExprBuilder) -> Result<String, Error> {
        // Room for a typical condition (`attribute_not_exists(#n0)`) at once.
        let mut out = String::with_capacity(48);
        self.node.render_taking(builder, M::MODEL_NAME, &mut out)?;
        Ok(out)
    }
}

/// `attribute_not_exists(name)` on a top-level attribute as the only
/// condition of a request (a create's): the expression and its one-entry
/// name map, exactly what rendering
/// `ConditionNode::NotExists(Path::attribute(name))` into a fresh
/// [`ExprBuilder`] gives, without building the tree, the builder's lists
/// or a second copy of the text. `None` for a name DynamoDB would refuse
/// (empty, over 64 KB): rendering the tree reports it.
pub(crate) fn sole_not_exists(name: &str) -> Option<(String, HashMap<String, String>)> {
    if crate::limits::attribute_name_problem(name).is_some() {
        return None;
    }
    // The first name placeholder, and the text around it, are known: no
    // number formatted, no text assembled (this runs per create).
    let mut names = HashMap::with_capacity(1);
    names.insert(FIRST_NAME.to_owned(), name.to_owned());
    Some((SOLE_NOT_EXISTS.to_owned(), names))
}

/// The first name placeholder of an expression (`#n` numbered 0).
const FIRST_NAME: &str = "#n0";

/// [`sole_not_exists`]'s expression: `attribute_not_exists` of the first
/// name placeholder.
const SOLE_NOT_EXISTS: &str = "attribute_not_exists(#n0)";

/// `attribute_exists(name)` on a top-level attribute as the only condition
/// of a request (an update's existence check), rendered into `builder`
/// exactly as `ConditionNode::Exists(Path::attribute(name))` renders,
/// without building the tree (its path, the list of conditions) or
/// walking it.
pub(crate) fn render_sole_exists(name: &str, builder: &mut ExprBuilder) -> String {
    let mut out = String::with_capacity(EXISTS.len() + 8);
    out.push_str(EXISTS);
    if crate::limits::attribute_name_problem(name).is_some() {
        // The path notes the refused name for `ExprBuilder::check`.
        Path::attribute(name).render_into(builder, &mut out);
    } else {
        builder.name_into(name, &mut out);
    }
    out.push(')');
    out
}

/// The opening of an `attribute_exists` call.
const EXISTS: &str = "attribute_exists(";

/// The opening of an `attribute_not_exists` call.
const NOT_EXISTS: &str = "attribute_not_exists(";

/// `size(attribute)`, for comparisons on the length of a string or binary,
/// or the number of elements of a list, map or set. Made by
/// [`crate::expr::Field::size`].
#[derive(Clone)]
pub struct Size<M> {
    path: Path,
    model: PhantomData<fn() -> M>,
}

impl<M> std::fmt::Debug for Size<M> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Size")
            .field(&self.path.display_name())
            .finish()
    }
}

impl<M: Model> Size<M> {
    pub(crate) fn new(path: Path) -> Self {
        Size {
            path,
            model: PhantomData,
        }
    }

    fn number(&self, n: usize) -> Operand {
        Operand::Value {
            attribute: self.path.clone(),
            value: Ok(AttributeValue::N(n.to_string())),
        }
    }

    fn compare(&self, op: Comparator, n: usize) -> Condition<M> {
        Condition::from_node(ConditionNode::Compare(
            Operand::Size(self.path.clone()),
            op,
            self.number(n),
        ))
    }

    /// `size(attribute) = n`
    pub fn eq(&self, n: usize) -> Condition<M> {
        self.compare(Comparator::Eq, n)
    }

    /// `size(attribute) <> n`
    pub fn ne(&self, n: usize) -> Condition<M> {
        self.compare(Comparator::Ne, n)
    }

    /// `size(attribute) < n`
    pub fn lt(&self, n: usize) -> Condition<M> {
        self.compare(Comparator::Lt, n)
    }

    /// `size(attribute) <= n`
    pub fn le(&self, n: usize) -> Condition<M> {
        self.compare(Comparator::Le, n)
    }

    /// `size(attribute) > n`
    pub fn gt(&self, n: usize) -> Condition<M> {
        self.compare(Comparator::Gt, n)
    }

    /// `size(attribute) >= n`
    pub fn ge(&self, n: usize) -> Condition<M> {
        self.compare(Comparator::Ge, n)
    }

    /// `size(attribute) BETWEEN low AND high` (both ends included).
    pub fn between(&self, low: usize, high: usize) -> Condition<M> {
        Condition::from_node(ConditionNode::Between(
            Operand::Size(self.path.clone()),
            self.number(low),
            self.number(high),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::{KeyAttr, KeySchema, ScalarType};
    use crate::Item;

    /// The smallest model: what typed conditions need to render.
    struct Thing;

    impl Model for Thing {
        const MODEL_NAME: &'static str = "Thing";
        const TABLE_NAME: &'static str = "things";
        type Key = String;
        type Fields = ();
        fn fields() {}
        fn key_schema() -> KeySchema {
            KeySchema {
                hash: KeyAttr {
                    name: "id",
                    scalar_type: ScalarType::String,
                },
                range: None,
            }
        }
        fn key(&self) -> String {
            String::new()
        }
        fn key_to_item(_: &String) -> Result<Item, Error> {
            Ok(Item::new())
        }
        fn to_item(&self) -> Result<Item, Error> {
            Ok(Item::new())
        }
        fn from_item(_: Item) -> Result<Self, Error> {
            Ok(Thing)
        }
    }

    fn value(n: usize) -> Operand {
        Operand::Value {
            attribute: Path::attribute("n"),
            value: Ok(AttributeValue::N(n.to_string())),
        }
    }

    #[test]
    fn typed_conditions_render_and_debug() {
        let size = Size::<Thing>::new(Path::attribute("tags"));
        assert_eq!(format!("{size:?}"), "Size(\"tags\")");
        let condition = size.gt(2).and(Condition::from_node(ConditionNode::Exists(
            Path::attribute("id"),
        )));
        let mut builder = ExprBuilder::new();
        assert_eq!(
            condition.render(&mut builder).unwrap(),
            "(size(#n0) > :v0) AND (attribute_exists(#n1))"
        );
        assert_eq!(
            format!("{condition:?}"),
            "Condition(And([Compare(Size(Path { elements: [Attribute(\"tags\")] }), Gt, Value { \
             attribute: \"tags\", value: Ok(N(<redacted>)) }), Exists(Path { elements: \
             [Attribute(\"id\")] })]))"
        );
        let err = Condition::<Thing>::any([])
            .render(&mut ExprBuilder::new())
            .unwrap_err();
        assert!(err.to_string().starts_with("Thing: "), "{err}");
    }

    #[test]
    fn in_takes_one_to_a_hundred_values() {
        let list = |n: usize| {
            ConditionNode::In(
                Operand::Path(Path::attribute("n")),
                (0..n).map(value).collect(),
            )
        };
        let render = |node: ConditionNode| {
            let mut out = String::new();
            node.render(&mut ExprBuilder::new(), "Thing", &mut out)
                .map(|()| out)
        };
        let hundred = render(list(100)).unwrap();
        assert!(hundred.starts_with("#n0 IN (:v0, :v1, ") && hundred.ends_with(", :v99)"));
        for n in [0, 101] {
            let err = render(list(n)).unwrap_err();
            assert_eq!(
                err.to_string(),
                format!("Thing: invalid request: IN takes 1 to 100 values, got {n} for `n`")
            );
        }
        let sized = ConditionNode::In(Operand::Size(Path::attribute("tags")), Vec::new());
        assert!(render(sized)
            .unwrap_err()
            .to_string()
            .ends_with("got 0 for `tags`"));
    }

    #[test]
    fn a_sole_exists_is_what_rendering_the_tree_gives() {
        let long = "k".repeat(crate::limits::MAX_ATTRIBUTE_NAME_BYTES);
        let refused = "k".repeat(crate::limits::MAX_ATTRIBUTE_NAME_BYTES + 1);
        for name in ["id", "name", "#a.b", "é", "", &long, &refused] {
            // After an update expression's names (one of them this name:
            // its placeholder is reused).
            let prepare = || {
                let mut builder = ExprBuilder::new();
                builder.name("other");
                builder.name("name");
                builder.value(AttributeValue::N("1".into()));
                builder
            };
            let mut tree = prepare();
            let node = Condition::<Thing>::from_node(ConditionNode::Exists(Path::attribute(name)));
            let expression = node.render(&mut tree).unwrap();
            let mut fast = prepare();
            assert_eq!(render_sole_exists(name, &mut fast), expression);
            assert_eq!(
                format!("{:?}", fast.check("Thing", &[])),
                format!("{:?}", tree.check("Thing", &[]))
            );
            assert_eq!(fast.into_parts(), tree.into_parts());
        }
        let mut builder = ExprBuilder::new();
        builder.name("a");
        assert_eq!(
            render_sole_exists("name", &mut builder),
            "attribute_exists(#n1)"
        );
        assert_eq!(
            render_sole_exists("a", &mut builder),
            "attribute_exists(#n0)"
        );
        assert!(builder.check("Thing", &[]).is_ok());
        let mut refusing = ExprBuilder::new();
        render_sole_exists("", &mut refusing);
        assert!(refusing.check("Thing", &[]).is_err());
    }

    #[test]
    fn a_sole_not_exists_is_what_rendering_the_tree_gives() {
        for name in [
            "id",
            "name",
            "#a.b",
            "é",
            &"k".repeat(crate::limits::MAX_ATTRIBUTE_NAME_BYTES),
        ] {
            let mut builder = ExprBuilder::new();
            let node =
                Condition::<Thing>::from_node(ConditionNode::NotExists(Path::attribute(name)));
            let expression = node.render(&mut builder).unwrap();
            let (names, values) = builder.into_parts();
            let fast = sole_not_exists(name).unwrap();
            assert_eq!(fast, (expression, names.unwrap()));
            assert_eq!(values, None);
            assert_eq!(fast.0.capacity(), fast.0.len());
        }
        assert_eq!(
            sole_not_exists("id").unwrap().0,
            "attribute_not_exists(#n0)"
        );
        // The constants spell what the builder numbers and renders.
        assert_eq!(
            super::super::placeholder(super::super::NAME_PREFIX, 0),
            FIRST_NAME
        );
        assert_eq!(SOLE_NOT_EXISTS, format!("{NOT_EXISTS}{FIRST_NAME})"));
        // A name DynamoDB refuses is left to the tree, which reports it.
        assert_eq!(sole_not_exists(""), None);
        let long = "k".repeat(crate::limits::MAX_ATTRIBUTE_NAME_BYTES + 1);
        assert_eq!(sole_not_exists(&long), None);
    }

    #[test]
    fn size_comparisons_render_their_operator_and_number() {
        let size = Size::<Thing>::new(Path::attribute("tags"));
        let cases = [
            (size.eq(3), "size(#n0) = :v0"),
            (size.ne(3), "size(#n0) <> :v0"),
            (size.lt(3), "size(#n0) < :v0"),
            (size.le(3), "size(#n0) <= :v0"),
            (size.gt(3), "size(#n0) > :v0"),
            (size.ge(3), "size(#n0) >= :v0"),
        ];
        for (condition, expected) in cases {
            let mut builder = ExprBuilder::new();
            assert_eq!(condition.render(&mut builder).unwrap(), expected);
            assert_eq!(
                builder.into_parts(),
                (
                    Some(HashMap::from([("#n0".to_owned(), "tags".to_owned())])),
                    Some(HashMap::from([(
                        ":v0".to_owned(),
                        AttributeValue::N("3".into())
                    )])),
                ),
                "{expected}"
            );
        }
        let mut builder = ExprBuilder::new();
        assert_eq!(
            size.between(1, 10).render(&mut builder).unwrap(),
            "size(#n0) BETWEEN :v0 AND :v1"
        );
        assert_eq!(
            builder.into_parts(),
            (
                Some(HashMap::from([("#n0".to_owned(), "tags".to_owned())])),
                Some(HashMap::from([
                    (":v0".to_owned(), AttributeValue::N("1".into())),
                    (":v1".to_owned(), AttributeValue::N("10".into())),
                ])),
            )
        );
    }

    #[test]
    fn attribute_types_have_dynamodb_tags() {
        let tags: Vec<&str> = [
            AttributeType::String,
            AttributeType::Number,
            AttributeType::Binary,
            AttributeType::Bool,
            AttributeType::Null,
            AttributeType::Map,
            AttributeType::List,
            AttributeType::StringSet,
            AttributeType::NumberSet,
            AttributeType::BinarySet,
        ]
        .into_iter()
        .map(AttributeType::tag)
        .collect();
        assert_eq!(
            tags,
            ["S", "N", "B", "BOOL", "NULL", "M", "L", "SS", "NS", "BS"]
        );
    }

    /// A value that did not convert, as a typed handle leaves it.
    fn unconverted(attribute: Path) -> Operand {
        Operand::Value {
            attribute,
            value: Err(ConvertError::OutOfRange { target: "u8" }),
        }
    }

    #[test]
    fn a_value_that_did_not_convert_fails_the_render_naming_model_and_attribute() {
        let age = || Path::attribute("age");
        let zip = || Path::attribute("address").key("zip");
        let leaves = [
            ConditionNode::Compare(Operand::Path(age()), Comparator::Gt, unconverted(age())),
            ConditionNode::Between(Operand::Path(age()), value(1), unconverted(age())),
            ConditionNode::In(Operand::Path(age()), vec![value(1), unconverted(age())]),
            ConditionNode::BeginsWith(zip(), unconverted(zip())),
            ConditionNode::Contains(zip(), unconverted(zip())),
        ];
        for leaf in leaves {
            let shown = format!("{leaf:?}");
            // Alone, and deep in a group: the walk stops at the first error.
            let grouped = ConditionNode::Or(vec![
                ConditionNode::Exists(Path::attribute("id")),
                ConditionNode::Not(Box::new(leaf.clone())),
            ]);
            for node in [leaf, grouped] {
                let mut out = String::new();
                let err = node
                    .render(&mut ExprBuilder::new(), "Thing", &mut out)
                    .expect_err(&shown);
                match err {
                    Error::Encode {
                        model: "Thing",
                        ref attribute,
                        source: ConvertError::OutOfRange { target: "u8" },
                    } => assert!(
                        ["age", "address.zip"].contains(&attribute.as_str()),
                        "{shown}: {attribute}"
                    ),
                    other => panic!("{shown}: {other:?}"),
                }
            }
        }
        // Through the typed condition: the model's name, the attribute.
        let condition = Condition::<Thing>::from_node(ConditionNode::Compare(
            Operand::Size(age()),
            Comparator::Eq,
            unconverted(age()),
        ));
        let err = condition.render(&mut ExprBuilder::new()).unwrap_err();
        assert!(err.to_string().starts_with("Thing.age: "), "{err}");
    }

    #[test]
    fn a_taking_render_moves_each_value_and_a_copying_one_keeps_them() {
        let node = ConditionNode::And(vec![
            ConditionNode::Compare(
                Operand::Path(Path::attribute("a")),
                Comparator::Eq,
                value(1),
            ),
            ConditionNode::Not(Box::new(ConditionNode::In(
                Operand::Path(Path::attribute("b")),
                vec![value(2), value(3)],
            ))),
            ConditionNode::Between(Operand::Size(Path::attribute("c")), value(4), value(5)),
            ConditionNode::BeginsWith(Path::attribute("d"), value(6)),
            ConditionNode::Contains(Path::attribute("e"), value(7)),
        ]);
        let numbers = |from: usize, to: usize| {
            (from..=to)
                .map(|n| AttributeValue::N(n.to_string()))
                .collect::<Vec<_>>()
        };
        let mut copying = ExprBuilder::new();
        node.render(&mut copying, "Thing", &mut String::new())
            .unwrap();
        assert_eq!(
            stored(&node),
            numbers(1, 7),
            "the copying render keeps them"
        );
        let mut taken = node.clone();
        let mut taking = ExprBuilder::new();
        taken
            .render_taking(&mut taking, "Thing", &mut String::new())
            .unwrap();
        // Moved into the builder, not copied: each left `NULL` in the tree.
        assert_eq!(stored(&taken), vec![AttributeValue::Null(true); 7]);
        assert_eq!(taking.into_parts(), copying.into_parts());
    }

    /// The values held by the leaves of `node`, in rendering order.
    fn stored(node: &ConditionNode) -> Vec<AttributeValue> {
        let mut values = Vec::new();
        let mut stack = vec![node];
        while let Some(node) = stack.pop() {
            stack.extend(node.children().iter().rev());
            let operands: Vec<&Operand> = match node {
                ConditionNode::Compare(left, _, right) => vec![left, right],
                ConditionNode::Between(operand, low, high) => vec![operand, low, high],
                ConditionNode::In(operand, list) => std::iter::once(operand).chain(list).collect(),
                ConditionNode::BeginsWith(_, operand) | ConditionNode::Contains(_, operand) => {
                    vec![operand]
                }
                _ => Vec::new(),
            };
            values.extend(operands.into_iter().filter_map(|operand| match operand {
                Operand::Value {
                    value: Ok(value), ..
                } => Some(value.clone()),
                _ => None,
            }));
        }
        values
    }

    #[test]
    fn each_leaf_debugs_in_the_derived_shape_with_every_value_redacted() {
        let secret = |name: &str| Operand::Value {
            attribute: Path::attribute(name),
            value: Ok(AttributeValue::S("ann@example.com".into())),
        };
        let path = || Operand::Path(Path::attribute("mail"));
        let mail = r#"Path { elements: [Attribute("mail")] }"#;
        let hidden = r#"Value { attribute: "mail", value: Ok(S(<redacted>)) }"#;
        let cases = [
            (
                ConditionNode::Compare(path(), Comparator::Ne, secret("mail")),
                format!("Compare(Path({mail}), Ne, {hidden})"),
            ),
            (
                ConditionNode::Between(path(), secret("mail"), secret("mail")),
                format!("Between(Path({mail}), {hidden}, {hidden})"),
            ),
            (
                ConditionNode::In(
                    path(),
                    vec![secret("mail"), unconverted(Path::attribute("mail"))],
                ),
                format!(
                    r#"In(Path({mail}), [{hidden}, Value {{ attribute: "mail", value: Err(OutOfRange {{ target: "u8" }}) }}])"#
                ),
            ),
            (
                ConditionNode::BeginsWith(Path::attribute("mail"), secret("mail")),
                format!("BeginsWith({mail}, {hidden})"),
            ),
            (
                ConditionNode::Contains(Path::attribute("mail"), secret("mail")),
                format!("Contains({mail}, {hidden})"),
            ),
            (
                ConditionNode::Exists(Path::attribute("mail")),
                format!("Exists({mail})"),
            ),
            (
                ConditionNode::NotExists(Path::attribute("mail")),
                format!("NotExists({mail})"),
            ),
            (
                ConditionNode::AttributeType(Path::attribute("mail"), "S"),
                format!(r#"AttributeType({mail}, "S")"#),
            ),
        ];
        for (node, expected) in cases {
            let shown = format!("{node:?}");
            assert_eq!(shown, expected);
            assert!(!shown.contains("ann@"), "{shown}");
        }
    }

    #[test]
    fn combinators_flatten_only_their_own_kind() {
        let exists = |name: &str| {
            Condition::<Thing>::from_node(ConditionNode::Exists(Path::attribute(name)))
        };
        let render = |condition: Condition<Thing>| {
            let mut builder = ExprBuilder::new();
            let out = condition.render(&mut builder).unwrap();
            (out, builder.into_parts())
        };
        // `and` of an `and` adds a part; `or` of an `or` likewise; mixing nests.
        let (out, (names, values)) = render(exists("a").and(exists("b")).and(exists("c")));
        assert_eq!(
            out,
            "(attribute_exists(#n0)) AND (attribute_exists(#n1)) AND (attribute_exists(#n2))"
        );
        assert_eq!(
            names,
            Some(HashMap::from([
                ("#n0".to_owned(), "a".to_owned()),
                ("#n1".to_owned(), "b".to_owned()),
                ("#n2".to_owned(), "c".to_owned()),
            ]))
        );
        assert_eq!(values, None);
        assert_eq!(
            render(exists("a").or(exists("b")).or(exists("c"))).0,
            "(attribute_exists(#n0)) OR (attribute_exists(#n1)) OR (attribute_exists(#n2))"
        );
        assert_eq!(
            render(exists("a").or(exists("b")).and(exists("c"))).0,
            "((attribute_exists(#n0)) OR (attribute_exists(#n1))) AND (attribute_exists(#n2))"
        );
        assert_eq!(
            render(exists("a").and(exists("b")).or(exists("c").not())).0,
            "((attribute_exists(#n0)) AND (attribute_exists(#n1))) OR (NOT (attribute_exists(#n2)))"
        );
        // `and` onto a group made by `all` extends it; `all`/`any` of one part
        // still parenthesize it.
        assert_eq!(
            render(Condition::all([exists("a"), exists("b")]).and(exists("c"))).0,
            "(attribute_exists(#n0)) AND (attribute_exists(#n1)) AND (attribute_exists(#n2))"
        );
        assert_eq!(
            render(Condition::any([exists("a")])).0,
            "(attribute_exists(#n0))"
        );
        assert_eq!(
            render(Condition::all([exists("a")])).0,
            "(attribute_exists(#n0))"
        );
        // The typed tree is the untyped one.
        let node = exists("a").not().into_node();
        assert!(
            matches!(&node, ConditionNode::Not(inner) if matches!(**inner, ConditionNode::Exists(_)))
        );
    }
}
