//! Typed expressions: attribute paths, conditions, and the placeholder
//! builder that renders them.
//!
//! Nothing here ever splices an attribute name or value into an expression
//! string: every name becomes a `#nN` placeholder and every value a `:vN`
//! placeholder, so reserved words (`name`, `status`, `size`...) and arbitrary
//! characters just work, and several expressions of one request (a key
//! condition and a filter, a condition and an update) share one
//! [`ExprBuilder`] without clashes.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::marker::PhantomData;

use aws_sdk_dynamodb::types::AttributeValue;

use crate::value::{Attribute, ConvertError};
use crate::{Error, Model};

/// One step of an attribute path.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum PathElement {
    /// A top-level attribute or a map key.
    Attribute(String),
    /// A list element.
    Index(usize),
}

/// A path to an attribute or to a place inside one (`address.city`, `tags[0]`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Path {
    elements: Vec<PathElement>,
}

impl Path {
    /// A top-level attribute.
    pub fn attribute(name: impl Into<String>) -> Self {
        Path {
            elements: vec![PathElement::Attribute(name.into())],
        }
    }

    /// This path followed by the map key `name`.
    pub fn key(mut self, name: impl Into<String>) -> Self {
        self.elements.push(PathElement::Attribute(name.into()));
        self
    }

    /// This path followed by the list index `index`.
    pub fn index(mut self, index: usize) -> Self {
        self.elements.push(PathElement::Index(index));
        self
    }

    /// The path's steps.
    pub fn elements(&self) -> &[PathElement] {
        &self.elements
    }

    /// The path written for humans (`address.city`, `tags[0]`), for error messages.
    pub fn display_name(&self) -> String {
        let mut out = String::new();
        for element in &self.elements {
            match element {
                PathElement::Attribute(name) => {
                    if !out.is_empty() {
                        out.push('.');
                    }
                    out.push_str(name);
                }
                PathElement::Index(index) => {
                    let _ = write!(out, "[{index}]");
                }
            }
        }
        out
    }

    /// Renders the path with name placeholders.
    pub fn render(&self, builder: &mut ExprBuilder) -> String {
        let mut out = String::new();
        for element in &self.elements {
            match element {
                PathElement::Attribute(name) => {
                    if !out.is_empty() {
                        out.push('.');
                    }
                    out.push_str(&builder.name(name));
                }
                PathElement::Index(index) => {
                    let _ = write!(out, "[{index}]");
                }
            }
        }
        out
    }
}

/// Collects the placeholders of one request's expressions.
#[derive(Debug, Default, Clone)]
pub struct ExprBuilder {
    names: HashMap<String, String>,
    values: HashMap<String, AttributeValue>,
    name_of: HashMap<String, String>,
}

impl ExprBuilder {
    /// An empty builder.
    pub fn new() -> Self {
        Self::default()
    }

    /// The placeholder for attribute name `name` (the same name gets the same placeholder).
    pub fn name(&mut self, name: &str) -> String {
        if let Some(placeholder) = self.name_of.get(name) {
            return placeholder.clone();
        }
        let placeholder = format!("#n{}", self.names.len());
        self.names.insert(placeholder.clone(), name.to_owned());
        self.name_of.insert(name.to_owned(), placeholder.clone());
        placeholder
    }

    /// A new placeholder for `value`.
    pub fn value(&mut self, value: AttributeValue) -> String {
        let placeholder = format!(":v{}", self.values.len());
        self.values.insert(placeholder.clone(), value);
        placeholder
    }

    /// The `ExpressionAttributeNames` collected so far (`None` when empty, as the API wants).
    pub fn names(&self) -> Option<HashMap<String, String>> {
        (!self.names.is_empty()).then(|| self.names.clone())
    }

    /// The `ExpressionAttributeValues` collected so far (`None` when empty, as the API wants).
    pub fn values(&self) -> Option<HashMap<String, AttributeValue>> {
        (!self.values.is_empty()).then(|| self.values.clone())
    }

    /// Both maps, consuming the builder.
    #[allow(clippy::type_complexity)]
    pub fn into_parts(
        self,
    ) -> (
        Option<HashMap<String, String>>,
        Option<HashMap<String, AttributeValue>>,
    ) {
        (
            (!self.names.is_empty()).then_some(self.names),
            (!self.values.is_empty()).then_some(self.values),
        )
    }
}

/// A value inside a condition: an attribute, a literal, or an attribute's size.
#[derive(Debug, Clone)]
pub enum Operand {
    /// The value of an attribute.
    Path(Path),
    /// A literal value (or the reason it could not be converted).
    Value {
        /// The attribute the value is compared with, for error messages.
        attribute: String,
        /// The converted value.
        value: Result<AttributeValue, ConvertError>,
    },
    /// `size(path)`.
    Size(Path),
}

impl Operand {
    fn render(&self, builder: &mut ExprBuilder, model: &'static str) -> Result<String, Error> {
        match self {
            Operand::Path(path) => Ok(path.render(builder)),
            Operand::Size(path) => Ok(format!("size({})", path.render(builder))),
            Operand::Value { attribute, value } => match value {
                Ok(av) => Ok(builder.value(av.clone())),
                Err(source) => Err(Error::Encode {
                    model,
                    attribute: attribute.clone(),
                    source: source.clone(),
                }),
            },
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
    fn symbol(self) -> &'static str {
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

/// A condition over model `M`: for conditional writes, filters and key conditions.
///
/// Build one from the typed fields (`User::fields().age.gt(30)`) and combine
/// with [`Condition::and`], [`Condition::or`] and [`Condition::not`]. Every
/// combination is rendered with parentheses, so grouping is always explicit.
#[derive(Debug, Clone)]
pub struct Condition<M> {
    node: ConditionNode,
    model: PhantomData<fn() -> M>,
}

/// The untyped tree behind a [`Condition`].
#[derive(Debug, Clone)]
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

impl ConditionNode {
    fn render(
        &self,
        builder: &mut ExprBuilder,
        model: &'static str,
        out: &mut String,
    ) -> Result<(), Error> {
        match self {
            ConditionNode::Compare(left, op, right) => {
                let left = left.render(builder, model)?;
                let right = right.render(builder, model)?;
                let _ = write!(out, "{left} {} {right}", op.symbol());
            }
            ConditionNode::Between(operand, low, high) => {
                let operand = operand.render(builder, model)?;
                let low = low.render(builder, model)?;
                let high = high.render(builder, model)?;
                let _ = write!(out, "{operand} BETWEEN {low} AND {high}");
            }
            ConditionNode::In(operand, list) => {
                if list.is_empty() || list.len() > 100 {
                    return Err(Error::InvalidRequest {
                        model,
                        message: format!(
                            "IN takes 1 to 100 values, got {} for `{}`",
                            list.len(),
                            operand_name(operand)
                        ),
                    });
                }
                let operand = operand.render(builder, model)?;
                let _ = write!(out, "{operand} IN (");
                for (i, item) in list.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    out.push_str(&item.render(builder, model)?);
                }
                out.push(')');
            }
            ConditionNode::BeginsWith(path, operand) => {
                let path = path.render(builder);
                let operand = operand.render(builder, model)?;
                let _ = write!(out, "begins_with({path}, {operand})");
            }
            ConditionNode::Contains(path, operand) => {
                let path = path.render(builder);
                let operand = operand.render(builder, model)?;
                let _ = write!(out, "contains({path}, {operand})");
            }
            ConditionNode::Exists(path) => {
                let _ = write!(out, "attribute_exists({})", path.render(builder));
            }
            ConditionNode::NotExists(path) => {
                let _ = write!(out, "attribute_not_exists({})", path.render(builder));
            }
            ConditionNode::AttributeType(path, kind) => {
                let path = path.render(builder);
                let kind = builder.value(AttributeValue::S((*kind).to_owned()));
                let _ = write!(out, "attribute_type({path}, {kind})");
            }
            ConditionNode::And(parts) => render_joined(parts, " AND ", builder, model, out)?,
            ConditionNode::Or(parts) => render_joined(parts, " OR ", builder, model, out)?,
            ConditionNode::Not(inner) => {
                out.push_str("NOT (");
                inner.render(builder, model, out)?;
                out.push(')');
            }
        }
        Ok(())
    }
}

fn operand_name(operand: &Operand) -> String {
    match operand {
        Operand::Path(path) | Operand::Size(path) => path.display_name(),
        Operand::Value { attribute, .. } => attribute.clone(),
    }
}

fn render_joined(
    parts: &[ConditionNode],
    joiner: &str,
    builder: &mut ExprBuilder,
    model: &'static str,
    out: &mut String,
) -> Result<(), Error> {
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            out.push_str(joiner);
        }
        out.push('(');
        part.render(builder, model, out)?;
        out.push(')');
    }
    Ok(())
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

    /// Both this and `other` must hold.
    pub fn and(self, other: Condition<M>) -> Self {
        let node = match self.node {
            ConditionNode::And(mut parts) => {
                parts.push(other.node);
                ConditionNode::And(parts)
            }
            node => ConditionNode::And(vec![node, other.node]),
        };
        Self::from_node(node)
    }

    /// This or `other` must hold.
    pub fn or(self, other: Condition<M>) -> Self {
        let node = match self.node {
            ConditionNode::Or(mut parts) => {
                parts.push(other.node);
                ConditionNode::Or(parts)
            }
            node => ConditionNode::Or(vec![node, other.node]),
        };
        Self::from_node(node)
    }

    /// The negation of this condition.
    #[allow(clippy::should_implement_trait)]
    pub fn not(self) -> Self {
        Self::from_node(ConditionNode::Not(Box::new(self.node)))
    }

    /// Renders the condition, adding its placeholders to `builder`.
    pub fn render(&self, builder: &mut ExprBuilder) -> Result<String, Error> {
        let mut out = String::new();
        self.node.render(builder, M::MODEL_NAME, &mut out)?;
        Ok(out)
    }
}

/// A typed handle on one attribute (or a place inside one) of model `M`,
/// holding a value of type `T`.
///
/// The derive generates one per field (`User::fields().age`); its methods
/// only accept values of the field's type, so `age.gt("x")` does not compile.
pub struct Field<M, T> {
    path: Path,
    types: PhantomData<fn() -> (M, T)>,
}

impl<M, T> Clone for Field<M, T> {
    fn clone(&self) -> Self {
        Field {
            path: self.path.clone(),
            types: PhantomData,
        }
    }
}

impl<M, T> std::fmt::Debug for Field<M, T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Field")
            .field(&self.path.display_name())
            .finish()
    }
}

impl<M: Model, T: Attribute> Field<M, T> {
    /// A handle on the attribute at `path`. Prefer the generated handles;
    /// this is the escape hatch for names known only at run time.
    pub fn new(path: Path) -> Self {
        Field {
            path,
            types: PhantomData,
        }
    }

    /// The attribute's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn operand(&self, value: &T) -> Operand {
        Operand::Value {
            attribute: self.path.display_name(),
            value: value
                .to_attribute()
                .and_then(|av| av.ok_or(ConvertError::Missing)),
        }
    }

    fn compare(&self, op: Comparator, value: impl Into<T>) -> Condition<M> {
        let right = self.operand(&value.into());
        Condition::from_node(ConditionNode::Compare(
            Operand::Path(self.path.clone()),
            op,
            right,
        ))
    }

    /// `attribute = value`
    pub fn eq(&self, value: impl Into<T>) -> Condition<M> {
        self.compare(Comparator::Eq, value)
    }

    /// `attribute <> value`
    pub fn ne(&self, value: impl Into<T>) -> Condition<M> {
        self.compare(Comparator::Ne, value)
    }

    /// `attribute < value`
    pub fn lt(&self, value: impl Into<T>) -> Condition<M> {
        self.compare(Comparator::Lt, value)
    }

    /// `attribute <= value`
    pub fn le(&self, value: impl Into<T>) -> Condition<M> {
        self.compare(Comparator::Le, value)
    }

    /// `attribute > value`
    pub fn gt(&self, value: impl Into<T>) -> Condition<M> {
        self.compare(Comparator::Gt, value)
    }

    /// `attribute >= value`
    pub fn ge(&self, value: impl Into<T>) -> Condition<M> {
        self.compare(Comparator::Ge, value)
    }

    /// `attribute BETWEEN low AND high` (both ends included).
    pub fn between(&self, low: impl Into<T>, high: impl Into<T>) -> Condition<M> {
        Condition::from_node(ConditionNode::Between(
            Operand::Path(self.path.clone()),
            self.operand(&low.into()),
            self.operand(&high.into()),
        ))
    }

    /// `attribute IN (values...)` (1 to 100 values).
    pub fn is_in<V: Into<T>>(&self, values: impl IntoIterator<Item = V>) -> Condition<M> {
        let list = values
            .into_iter()
            .map(|value| self.operand(&value.into()))
            .collect();
        Condition::from_node(ConditionNode::In(Operand::Path(self.path.clone()), list))
    }

    /// `attribute_exists(attribute)`
    pub fn exists(&self) -> Condition<M> {
        Condition::from_node(ConditionNode::Exists(self.path.clone()))
    }

    /// `attribute_not_exists(attribute)`
    pub fn not_exists(&self) -> Condition<M> {
        Condition::from_node(ConditionNode::NotExists(self.path.clone()))
    }
}

impl<M: Model> Field<M, String> {
    /// `begins_with(attribute, prefix)`
    pub fn begins_with(&self, prefix: impl Into<String>) -> Condition<M> {
        let prefix = self.operand(&prefix.into());
        Condition::from_node(ConditionNode::BeginsWith(self.path.clone(), prefix))
    }

    /// `contains(attribute, substring)`
    pub fn contains(&self, substring: impl Into<String>) -> Condition<M> {
        let substring = self.operand(&substring.into());
        Condition::from_node(ConditionNode::Contains(self.path.clone(), substring))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_deduplicated_and_values_numbered() {
        let mut builder = ExprBuilder::new();
        assert_eq!(builder.name("status"), "#n0");
        assert_eq!(builder.name("name"), "#n1");
        assert_eq!(builder.name("status"), "#n0");
        assert_eq!(builder.value(AttributeValue::S("a".into())), ":v0");
        assert_eq!(builder.value(AttributeValue::S("a".into())), ":v1");
        let (names, values) = builder.into_parts();
        assert_eq!(names.map(|n| n.len()), Some(2));
        assert_eq!(values.map(|v| v.len()), Some(2));
    }

    #[test]
    fn paths_render_with_placeholders_only() {
        let mut builder = ExprBuilder::new();
        let path = Path::attribute("address.with dots").key("#city").index(3);
        assert_eq!(path.render(&mut builder), "#n0.#n1[3]");
        assert_eq!(path.display_name(), "address.with dots.#city[3]");
    }
}
