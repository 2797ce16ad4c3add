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
use std::sync::Arc;

use aws_sdk_dynamodb::types::AttributeValue;

mod condition;
mod field;
mod update;

pub(crate) use condition::{render_sole_exists, sole_not_exists};
pub use condition::{AttributeType, Comparator, Condition, ConditionNode, Operand, Size};
pub use field::{
    Addable, Comparable, Containable, Field, HasSize, IntoFieldValue, Numeric, Optional, Required,
    SetAttribute,
};
pub(crate) use update::{is_top_level, update_starts_at};
pub use update::{SetValue, UpdateAction, UpdateExpression};

/// One step of an attribute path.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum PathElement {
    /// A top-level attribute or a map key.
    Attribute(String),
    /// A list element.
    Index(usize),
}

/// A path to an attribute or to a place inside one (`address.city`, `tags[0]`).
///
/// Cloning a path is cheap (its steps are shared, not copied): a field
/// handle's path is cloned into every action and value an update or
/// condition makes from it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Path {
    elements: Arc<[PathElement]>,
}

impl Path {
    /// A top-level attribute.
    pub fn attribute(name: impl Into<String>) -> Self {
        Path {
            elements: Arc::new([PathElement::Attribute(name.into())]),
        }
    }

    /// This path followed by the map key `name`.
    pub fn key(self, name: impl Into<String>) -> Self {
        self.then(PathElement::Attribute(name.into()))
    }

    /// This path followed by the list index `index`.
    pub fn index(self, index: usize) -> Self {
        self.then(PathElement::Index(index))
    }

    /// This path followed by `element` (a new list of steps: the old one
    /// may be shared).
    fn then(self, element: PathElement) -> Self {
        // An exact-size iterator: collected in one allocation.
        let elements = self
            .elements
            .iter()
            .cloned()
            .chain(std::iter::once(element));
        Path {
            elements: elements.collect(),
        }
    }

    /// The path's steps.
    pub fn elements(&self) -> &[PathElement] {
        &self.elements
    }

    /// The path written for humans (`address.city`, `tags[0]`), for error messages.
    pub fn display_name(&self) -> String {
        let mut out = String::new();
        for element in self.elements.iter() {
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

    /// The path for error messages, cut after 80 bytes (a name may hold 64 KB).
    fn short_name(&self) -> String {
        let mut name = self.display_name();
        if name.len() > 80 {
            let mut end = 80;
            while !name.is_char_boundary(end) {
                end -= 1;
            }
            name.truncate(end);
            name.push('…');
        }
        name
    }

    /// Renders the path with name placeholders. A name DynamoDB would refuse
    /// (empty, or over 64 KB) is noted in `builder`, whose
    /// [`ExprBuilder::check`] reports it.
    pub fn render(&self, builder: &mut ExprBuilder) -> String {
        let mut out = String::new();
        self.render_into(builder, &mut out);
        out
    }

    /// [`Path::render`], appending to `out` (no string of its own).
    pub(crate) fn render_into(&self, builder: &mut ExprBuilder, out: &mut String) {
        let start = out.len();
        for element in self.elements.iter() {
            match element {
                PathElement::Attribute(name) => {
                    if builder.refused.is_none() {
                        if let Some(problem) = crate::limits::attribute_name_problem(name) {
                            builder.refused = Some((self.short_name(), problem));
                        }
                    }
                    if out.len() > start {
                        out.push('.');
                    }
                    builder.name_into(name, out);
                }
                PathElement::Index(index) => {
                    let _ = write!(out, "[{index}]");
                }
            }
        }
    }
}

/// Collects the placeholders of one request's expressions.
///
/// Names and values are numbered in order: the `i`-th name is `#n{i}` and
/// the `i`-th value `:v{i}`. Each placeholder is written straight into the
/// expression and copied from there as its key into the map DynamoDB takes
/// (`ExpressionAttributeNames` / `ExpressionAttributeValues`), which the
/// builder fills as it goes, so [`ExprBuilder::into_parts`] hands them over
/// as they are. A name used again is found by a linear search over the
/// names: an expression holds few names (at most a few hundred within its
/// 4 KB), where a search beats hashing every name.
///
/// `Debug` shows names but redacts values.
#[derive(Default, Clone)]
pub struct ExprBuilder {
    /// `#n{i}` → the attribute name behind it.
    names: HashMap<String, String>,
    /// `:v{i}` → the value behind it.
    values: HashMap<String, AttributeValue>,
    /// The first path rendered with a name DynamoDB refuses, and why.
    refused: Option<(String, String)>,
}

/// The prefix of every name placeholder.
const NAME_PREFIX: &str = "#n";
/// The prefix of every value placeholder.
const VALUE_PREFIX: &str = ":v";

/// How many entries a placeholder map made by [`ExprBuilder::new`] makes
/// room for at its first entry: most requests' expressions hold fewer
/// names and values, so the map never grows. (A map made by
/// [`ExprBuilder::with_capacity`] has its room already.)
const FIRST_CAPACITY: usize = 7;

/// Appends placeholder `prefix` + `index` to `out`.
fn push_placeholder(out: &mut String, prefix: &str, index: usize) {
    out.push_str(prefix);
    out.push_str(itoa::Buffer::new().format(index));
}

/// Placeholder `prefix` + `index` as a string of its own (a map key).
fn placeholder(prefix: &str, index: usize) -> String {
    let mut out = String::with_capacity(prefix.len() + 4);
    push_placeholder(&mut out, prefix, index);
    out
}

/// Writes the next placeholder of `map` (`prefix` + its number of entries)
/// to `out`, and adds `entry` to `map` under a copy of it.
fn push_entry<T>(map: &mut HashMap<String, T>, prefix: &str, entry: T, out: &mut String) {
    let start = out.len();
    push_placeholder(out, prefix, map.len());
    if map.capacity() == 0 {
        map.reserve(FIRST_CAPACITY);
    }
    map.insert(out[start..].to_owned(), entry);
}

impl std::fmt::Debug for ExprBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        /// A placeholder map's entries in placeholder order.
        fn in_order<'a, T>(
            map: &'a HashMap<String, T>,
            prefix: &'static str,
        ) -> impl Iterator<Item = (String, &'a T)> + 'a {
            (0..map.len()).filter_map(move |index| {
                let placeholder = placeholder(prefix, index);
                let entry = map.get(&placeholder)?;
                Some((placeholder, entry))
            })
        }
        struct Names<'a>(&'a HashMap<String, String>);
        impl std::fmt::Debug for Names<'_> {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_map()
                    .entries(in_order(self.0, NAME_PREFIX))
                    .finish()
            }
        }
        struct Values<'a>(&'a HashMap<String, AttributeValue>);
        impl std::fmt::Debug for Values<'_> {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_map()
                    .entries(
                        in_order(self.0, VALUE_PREFIX).map(|(placeholder, value)| {
                            (placeholder, crate::redact::Redacted(value))
                        }),
                    )
                    .finish()
            }
        }
        f.debug_struct("ExprBuilder")
            .field("names", &Names(&self.names))
            .field("values", &Values(&self.values))
            .finish()
    }
}

impl ExprBuilder {
    /// An empty builder.
    pub fn new() -> Self {
        Self::default()
    }

    /// An empty builder whose maps hold `names` names and `values` values
    /// without growing (a request that knows what its expressions hold:
    /// no room reserved for placeholders it will not make).
    pub(crate) fn with_capacity(names: usize, values: usize) -> Self {
        ExprBuilder {
            names: HashMap::with_capacity(names),
            values: HashMap::with_capacity(values),
            refused: None,
        }
    }

    /// The placeholder for attribute name `name` (the same name gets the same placeholder).
    pub fn name(&mut self, name: &str) -> String {
        let mut out = String::new();
        self.name_into(name, &mut out);
        out
    }

    /// [`ExprBuilder::name`], appending the placeholder to `out`.
    pub(crate) fn name_into(&mut self, name: &str, out: &mut String) {
        match self.names.iter().find(|(_, known)| *known == name) {
            Some((placeholder, _)) => out.push_str(placeholder),
            None => push_entry(&mut self.names, NAME_PREFIX, name.to_owned(), out),
        }
    }

    /// A new placeholder for `value`.
    pub fn value(&mut self, value: AttributeValue) -> String {
        let mut out = String::new();
        self.value_into(value, &mut out);
        out
    }

    /// [`ExprBuilder::value`], appending the placeholder to `out`.
    pub(crate) fn value_into(&mut self, value: AttributeValue, out: &mut String) {
        push_entry(&mut self.values, VALUE_PREFIX, value, out);
    }

    /// Checks what DynamoDB would refuse in the expressions rendered into
    /// this builder, before sending: an attribute name or map key that is
    /// empty or over 64 KB ([`crate::Error::Validation`], rule `name`,
    /// naming the path), and each of `expressions` (what it is, and its
    /// text) over 4 KB ([`crate::Error::LimitExceeded`]).
    pub fn check(
        &self,
        model: &'static str,
        expressions: &[(&str, Option<&str>)],
    ) -> Result<(), crate::Error> {
        if let Some((path, problem)) = &self.refused {
            return Err(crate::limits::attribute_error(
                model,
                path,
                "name",
                problem.clone(),
            ));
        }
        for (what, expression) in expressions {
            if let Some(expression) = expression {
                crate::limits::check_expression_length(model, what, expression)?;
            }
        }
        Ok(())
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
        assert_eq!(builder.value(AttributeValue::N("2".into())), ":v2");
        let names = HashMap::from([
            ("#n0".to_owned(), "status".to_owned()),
            ("#n1".to_owned(), "name".to_owned()),
        ]);
        let values = HashMap::from([
            (":v0".to_owned(), AttributeValue::S("a".into())),
            (":v1".to_owned(), AttributeValue::S("a".into())),
            (":v2".to_owned(), AttributeValue::N("2".into())),
        ]);
        assert_eq!(builder.names(), Some(names.clone()));
        assert_eq!(builder.values(), Some(values.clone()));
        assert_eq!(builder.into_parts(), (Some(names), Some(values)));
        let empty = ExprBuilder::new();
        assert_eq!((empty.names(), empty.values()), (None, None));
        assert_eq!(empty.into_parts(), (None, None));
    }

    #[test]
    fn placeholders_count_past_one_digit() {
        let mut builder = ExprBuilder::new();
        let mut out = String::new();
        for i in 0..12 {
            builder.name_into(&format!("a{i}"), &mut out);
            builder.value_into(AttributeValue::N(i.to_string()), &mut out);
            out.push(' ');
        }
        builder.name_into("a10", &mut out);
        assert_eq!(
            out,
            "#n0:v0 #n1:v1 #n2:v2 #n3:v3 #n4:v4 #n5:v5 #n6:v6 #n7:v7 #n8:v8 #n9:v9 \
             #n10:v10 #n11:v11 #n10"
        );
        let (names, values) = builder.into_parts();
        let (names, values) = (names.unwrap(), values.unwrap());
        assert_eq!((names.len(), values.len()), (12, 12));
        assert_eq!(names["#n11"], "a11");
        assert_eq!(values[":v10"], AttributeValue::N("10".into()));
        assert_eq!(placeholder(":v", 1234), ":v1234");
    }

    #[test]
    fn update_paths_are_compared_by_steps() {
        let mut update = UpdateExpression::new();
        assert!(update.actions().is_empty());
        update.push(UpdateAction::Set(
            Path::attribute("m").key("k"),
            SetValue::Value(value("1")),
        ));
        assert_eq!(update.actions().len(), 1);
        assert!(update.touches(&Path::attribute("m")));
        assert!(update.touches(&Path::attribute("m").key("k").index(0)));
        assert!(!update.touches(&Path::attribute("m").key("j")));
        assert!(!update.touches(&Path::attribute("k")));

        let nested = Path::attribute("m").key("k");
        assert!(is_top_level(&Path::attribute("m"), "m"));
        assert!(!is_top_level(&nested, "m"));
        assert!(!is_top_level(&Path::attribute("n"), "m"));
        assert!(update_starts_at(&nested, "m"));
        assert!(update_starts_at(&Path::attribute("m"), "m"));
        assert!(!update_starts_at(&nested, "k"));
    }

    #[test]
    fn paths_render_with_placeholders_only() {
        let mut builder = ExprBuilder::new();
        let path = Path::attribute("address.with dots").key("#city").index(3);
        assert_eq!(path.render(&mut builder), "#n0.#n1[3]");
        assert_eq!(path.display_name(), "address.with dots.#city[3]");
    }

    fn value(n: &str) -> Operand {
        Operand::Value {
            attribute: Path::attribute("a"),
            value: Ok(AttributeValue::N(n.into())),
        }
    }

    fn render(node: &ConditionNode) -> (String, ExprBuilder) {
        let mut builder = ExprBuilder::new();
        let mut out = String::new();
        node.render(&mut builder, "Test", &mut out).unwrap();
        (out, builder)
    }

    #[test]
    fn conditions_render_with_explicit_grouping() {
        let a = Path::attribute("size");
        let node = ConditionNode::And(vec![
            ConditionNode::Or(vec![
                ConditionNode::Compare(Operand::Path(a.clone()), Comparator::Gt, value("1")),
                ConditionNode::Not(Box::new(ConditionNode::Exists(a.clone()))),
            ]),
            ConditionNode::Between(Operand::Size(a.clone()), value("2"), value("3")),
            ConditionNode::AttributeType(a.clone(), AttributeType::StringSet.tag()),
            ConditionNode::In(Operand::Path(a.clone()), vec![value("4"), value("5")]),
            ConditionNode::Contains(a.clone(), value("6")),
            ConditionNode::BeginsWith(a.clone(), value("7")),
            ConditionNode::NotExists(a),
        ]);
        let (out, builder) = render(&node);
        assert_eq!(
            out,
            "((#n0 > :v0) OR (NOT (attribute_exists(#n0)))) AND (size(#n0) BETWEEN :v1 AND :v2) \
             AND (attribute_type(#n0, :v3)) AND (#n0 IN (:v4, :v5)) AND (contains(#n0, :v6)) \
             AND (begins_with(#n0, :v7)) AND (attribute_not_exists(#n0))"
        );
        let (names, values) = builder.into_parts();
        assert_eq!(names.unwrap()["#n0"], "size");
        assert_eq!(values.unwrap()[":v3"], AttributeValue::S("SS".into()));
    }

    #[test]
    fn empty_groups_and_in_lists_are_refused() {
        let mut builder = ExprBuilder::new();
        let mut out = String::new();
        assert!(ConditionNode::Or(vec![])
            .render(&mut builder, "Test", &mut out)
            .is_err());
        let empty_in = ConditionNode::In(Operand::Path(Path::attribute("a")), vec![]);
        assert!(empty_in.render(&mut builder, "Test", &mut out).is_err());
    }

    #[test]
    fn update_actions_render_in_clause_order() {
        let mut update = UpdateExpression::new();
        update.push(UpdateAction::Delete(Path::attribute("tags"), value("1")));
        update.push(UpdateAction::Add(Path::attribute("n"), value("2")));
        update.push(UpdateAction::Remove(Path::attribute("old")));
        update.push(UpdateAction::Set(
            Path::attribute("m").key("k"),
            SetValue::Value(value("3")),
        ));
        update.push(UpdateAction::Set(
            Path::attribute("c"),
            SetValue::Increment {
                zero: value("0"),
                amount: value("1"),
            },
        ));
        update.push(UpdateAction::Set(
            Path::attribute("l"),
            SetValue::Append(value("9")),
        ));
        update.push(UpdateAction::Set(
            Path::attribute("p"),
            SetValue::Path(Path::attribute("q")),
        ));
        // Every step of every path, every value and the append's empty list.
        assert_eq!(update.placeholder_bounds(), (9, 7));
        let mut builder = ExprBuilder::new();
        let out = update.render(&mut builder, "Test").unwrap();
        assert_eq!((builder.names.len(), builder.values.len()), (9, 7));
        assert_eq!(
            out,
            "SET #n3.#n4 = :v2, #n5 = if_not_exists(#n5, :v3) + :v4, \
             #n6 = list_append(if_not_exists(#n6, :v5), :v6), #n7 = #n8 \
             REMOVE #n2 ADD #n1 :v1 DELETE #n0 :v0"
        );
    }

    #[test]
    fn single_clause_updates_render_alone() {
        let render = |actions: Vec<UpdateAction>| {
            let mut update = UpdateExpression::new();
            actions.into_iter().for_each(|a| update.push(a));
            let bounds = update.placeholder_bounds();
            let mut builder = ExprBuilder::new();
            let out = update.render(&mut builder, "Test").unwrap();
            // No name repeats here: the bounds are the exact counts, but
            // for a list index (a step without a name).
            let indexes = out.matches('[').count();
            assert_eq!(
                bounds,
                (builder.names.len() + indexes, builder.values.len()),
                "{out}"
            );
            // The string is made at about its final size, not grown.
            let estimate = update::rendered_len_estimate(update.actions());
            assert!(
                (out.len()..out.len() + 6 * update.actions().len()).contains(&estimate),
                "{estimate} for {out:?}"
            );
            let (names, values) = builder.into_parts();
            (
                out,
                names.map_or(0, |n| n.len()),
                values.map_or(0, |v| v.len()),
            )
        };
        assert_eq!(
            render(vec![
                UpdateAction::Set(Path::attribute("a"), SetValue::Value(value("1"))),
                UpdateAction::Set(
                    Path::attribute("b"),
                    SetValue::Decrement {
                        zero: value("0"),
                        amount: value("2"),
                    },
                ),
                UpdateAction::Set(Path::attribute("c"), SetValue::IfNotExists(value("3"))),
                UpdateAction::Set(Path::attribute("d"), SetValue::Prepend(value("4"))),
            ]),
            (
                "SET #n0 = :v0, #n1 = if_not_exists(#n1, :v1) - :v2, \
                 #n2 = if_not_exists(#n2, :v3), #n3 = list_append(:v4, if_not_exists(#n3, :v5))"
                    .to_owned(),
                4,
                6
            )
        );
        assert_eq!(
            render(vec![
                UpdateAction::Remove(Path::attribute("a")),
                UpdateAction::Remove(Path::attribute("b").index(1)),
            ]),
            ("REMOVE #n0, #n1[1]".to_owned(), 2, 0)
        );
        assert_eq!(
            render(vec![
                UpdateAction::Add(Path::attribute("a"), value("1")),
                UpdateAction::Add(Path::attribute("b"), value("2")),
            ]),
            ("ADD #n0 :v0, #n1 :v1".to_owned(), 2, 2)
        );
        assert_eq!(
            render(vec![UpdateAction::Delete(Path::attribute("a"), value("1"))]),
            ("DELETE #n0 :v0".to_owned(), 1, 1)
        );
        // Two clauses, the second only once: still joined in clause order.
        assert_eq!(
            render(vec![
                UpdateAction::Add(Path::attribute("a"), value("1")),
                UpdateAction::Add(Path::attribute("b"), value("2")),
                UpdateAction::Set(Path::attribute("c"), SetValue::Value(value("3"))),
            ]),
            ("SET #n2 = :v2 ADD #n0 :v0, #n1 :v1".to_owned(), 3, 3)
        );
    }

    #[test]
    fn placeholder_bounds_hold_a_repeated_name_and_size_the_maps() {
        let mut update = UpdateExpression::new();
        update.push(UpdateAction::Set(
            Path::attribute("m").key("a"),
            SetValue::Value(value("1")),
        ));
        update.push(UpdateAction::Set(
            Path::attribute("m").key("b"),
            SetValue::Prepend(value("2")),
        ));
        update.push(UpdateAction::Add(
            Path::attribute("n"),
            Operand::Path(Path::attribute("m")),
        ));
        // `m` counted three times, found once.
        assert_eq!(update.placeholder_bounds(), (6, 3));
        let mut builder = ExprBuilder::with_capacity(6, 3);
        let (names, values) = (builder.names.capacity(), builder.values.capacity());
        update.render(&mut builder, "Test").unwrap();
        assert_eq!((builder.names.len(), builder.values.len()), (4, 3));
        // Room made up front, not grown, and not the default's 7.
        assert_eq!(
            (builder.names.capacity(), builder.values.capacity()),
            (names, values)
        );
        assert!(values < FIRST_CAPACITY, "{values}");
    }

    #[test]
    fn taking_renders_move_what_copying_renders_write() {
        let node = ConditionNode::And(vec![
            ConditionNode::Compare(
                Operand::Path(Path::attribute("a")),
                Comparator::Eq,
                value("1"),
            ),
            ConditionNode::In(
                Operand::Path(Path::attribute("n")),
                vec![value("2"), value("3")],
            ),
            ConditionNode::Not(Box::new(ConditionNode::BeginsWith(
                Path::attribute("s"),
                value("4"),
            ))),
            ConditionNode::Between(Operand::Size(Path::attribute("l")), value("5"), value("6")),
            ConditionNode::Contains(Path::attribute("s"), value("7")),
        ]);
        let (copied, copying) = render(&node);
        let mut taken = node.clone();
        let (mut taking, mut out) = (ExprBuilder::new(), String::new());
        taken.render_taking(&mut taking, "Test", &mut out).unwrap();
        assert_eq!(out, copied);
        let values = |builder: ExprBuilder| builder.into_parts();
        assert_eq!(values(taking), values(copying));
        // The copying render left the tree as it was: it renders the same again.
        let again = render(&node);
        assert_eq!(again.0, copied);
        assert_eq!(
            again.1.values().unwrap()[":v6"],
            AttributeValue::N("7".into())
        );

        let mut update = UpdateExpression::new();
        update.push(UpdateAction::Set(
            Path::attribute("a"),
            SetValue::IfNotExists(value("1")),
        ));
        update.push(UpdateAction::Add(Path::attribute("b"), value("2")));
        update.push(UpdateAction::Set(
            Path::attribute("c"),
            SetValue::Decrement {
                zero: value("0"),
                amount: value("3"),
            },
        ));
        let mut copying = ExprBuilder::new();
        let copied = update.render(&mut copying, "Test").unwrap();
        // Still holds its values after the copying render.
        assert_eq!(
            update.actions()[0].stored_value(),
            Some(&AttributeValue::N("1".into()))
        );
        let mut taking = ExprBuilder::new();
        assert_eq!(update.render_taking(&mut taking, "Test").unwrap(), copied);
        assert_eq!(taking.into_parts(), copying.into_parts());
    }

    #[test]
    fn overlapping_update_paths_are_refused() {
        let mut update = UpdateExpression::new();
        update.push(UpdateAction::Set(
            Path::attribute("m"),
            SetValue::Value(value("1")),
        ));
        update.push(UpdateAction::Remove(Path::attribute("m").key("k")));
        let err = update.render(&mut ExprBuilder::new(), "Test").unwrap_err();
        assert!(err.to_string().contains("overlapping"));
        assert!(UpdateExpression::new()
            .render(&mut ExprBuilder::new(), "Test")
            .is_err());
    }

    #[test]
    fn builder_debug_redacts_values() {
        let mut builder = ExprBuilder::new();
        builder.name("email");
        builder.value(AttributeValue::S("ada@example.com".into()));
        let debug = format!("{builder:?}");
        assert_eq!(
            debug,
            "ExprBuilder { names: {\"#n0\": \"email\"}, values: {\":v0\": S(<redacted>)} }"
        );
    }

    fn exists(name: &str) -> ConditionNode {
        ConditionNode::Exists(Path::attribute(name))
    }

    /// `depth` negations around `a`'s existence.
    fn negations(depth: usize) -> ConditionNode {
        let mut node = exists("a");
        for _ in 0..depth {
            node = ConditionNode::Not(Box::new(node));
        }
        node
    }

    fn mixed() -> ConditionNode {
        ConditionNode::And(vec![
            exists("a"),
            ConditionNode::Not(Box::new(ConditionNode::Or(vec![
                exists("b"),
                ConditionNode::Compare(
                    Operand::Size(Path::attribute("c")),
                    Comparator::Le,
                    value("7"),
                ),
            ]))),
            ConditionNode::NotExists(Path::attribute("d")),
        ])
    }

    #[test]
    fn depth_counts_groups_and_negations() {
        assert_eq!(exists("a").depth(), 0);
        assert_eq!(negations(1).depth(), 1);
        assert_eq!(negations(7).depth(), 7);
        assert_eq!(mixed().depth(), 3);
        // The deepest branch counts, wherever it is.
        let node = ConditionNode::Or(vec![negations(2), exists("x"), negations(5), exists("y")]);
        assert_eq!(node.depth(), 6);
    }

    #[test]
    fn conditions_deeper_than_the_limit_are_refused() {
        use crate::limits::MAX_CONDITION_DEPTH;
        let (out, _) = render(&negations(MAX_CONDITION_DEPTH));
        assert_eq!(out.matches("NOT (").count(), MAX_CONDITION_DEPTH);
        assert!(out.ends_with(&format!(
            "(attribute_exists(#n0)){}",
            ")".repeat(MAX_CONDITION_DEPTH - 1)
        )));
        let err = negations(MAX_CONDITION_DEPTH + 1)
            .render(&mut ExprBuilder::new(), "Test", &mut String::new())
            .unwrap_err();
        let crate::Error::LimitExceeded {
            model,
            limit,
            message,
        } = &err
        else {
            panic!("{err:?}");
        };
        assert_eq!((*model, *limit), ("Test", "condition depth"));
        assert!(
            message.contains(&format!("{} levels", MAX_CONDITION_DEPTH + 1)),
            "{message}"
        );
    }

    #[test]
    fn nested_groups_and_negations_render_in_order() {
        let (out, builder) = render(&mixed());
        assert_eq!(
            out,
            "(attribute_exists(#n0)) AND (NOT ((attribute_exists(#n1)) OR (size(#n2) <= :v0))) \
             AND (attribute_not_exists(#n3))"
        );
        assert_eq!(builder.names().unwrap()["#n3"], "d");
        // A group of one part is still parenthesized; an empty one nested
        // anywhere is refused.
        let (out, _) = render(&ConditionNode::Or(vec![exists("a")]));
        assert_eq!(out, "(attribute_exists(#n0))");
        let nested_empty = ConditionNode::Not(Box::new(ConditionNode::And(vec![
            exists("a"),
            ConditionNode::Or(vec![]),
        ])));
        let err = nested_empty
            .render(&mut ExprBuilder::new(), "Test", &mut String::new())
            .unwrap_err();
        assert!(err.to_string().contains("combines no conditions"), "{err}");
    }

    #[test]
    fn debug_clone_and_drop_walk_without_recursion() {
        let node = mixed();
        let debug = format!("{node:?}");
        assert_eq!(
            debug,
            "And([Exists(Path { elements: [Attribute(\"a\")] }), Not(Or([Exists(Path { elements: \
             [Attribute(\"b\")] }), Compare(Size(Path { elements: [Attribute(\"c\")] }), Le, \
             Value { attribute: \"a\", value: Ok(N(<redacted>)) })])), NotExists(Path { elements: \
             [Attribute(\"d\")] })])"
        );
        let copy = node.clone();
        assert_eq!(format!("{copy:?}"), debug);
        assert_eq!(render(&copy).0, render(&node).0);
        let leaves = ConditionNode::Or(vec![
            ConditionNode::Between(Operand::Path(Path::attribute("n")), value("1"), value("2")),
            ConditionNode::In(Operand::Path(Path::attribute("n")), vec![value("3")]),
            ConditionNode::BeginsWith(Path::attribute("s"), value("4")),
            ConditionNode::Contains(Path::attribute("s"), value("5")),
            ConditionNode::AttributeType(Path::attribute("s"), "SS"),
            ConditionNode::Compare(
                Operand::Path(Path::attribute("n")),
                Comparator::Ne,
                value("6"),
            ),
        ]);
        let debug = format!("{leaves:?}");
        assert_eq!(format!("{:?}", leaves.clone()), debug);
        assert_eq!(render(&leaves.clone()).0, render(&leaves).0);
        assert!(
            debug.contains("Between(Path(Path { elements: [Attribute(\"n\")] }), Value"),
            "{debug}"
        );
        assert!(
            debug.contains("In(Path(")
                && debug.contains("AttributeType(Path { elements: [Attribute(\"s\")] }, \"SS\")"),
            "{debug}"
        );
        assert!(
            debug.contains("BeginsWith(")
                && debug.contains("Contains(")
                && debug.contains(", Ne, "),
            "{debug}"
        );
        assert_eq!(format!("{:?}", ConditionNode::And(vec![])), "And([])");

        // 200,000 levels on the test thread's stack: Debug, clone and drop
        // would overflow it if they recursed.
        let mut deep = exists("a");
        for level in 0..200_000 {
            deep = if level % 3 == 0 {
                ConditionNode::Not(Box::new(deep))
            } else {
                ConditionNode::And(vec![deep, exists("b")])
            };
        }
        assert_eq!(deep.depth(), 200_000);
        let debug = format!("{deep:?}");
        assert!(
            debug.starts_with("And([Not(And([And([Not(And([And([Not("),
            "{}",
            &debug[..40]
        );
        let copy = deep.clone();
        assert_eq!(copy.depth(), 200_000);
        assert_eq!(format!("{copy:?}").len(), debug.len());
        drop(copy);
        drop(deep);
    }

    #[test]
    fn refused_names_and_long_expressions_are_reported() {
        let mut builder = ExprBuilder::new();
        assert!(builder
            .check("Test", &[("condition", Some(&"x".repeat(4096)))])
            .is_ok());
        let err = builder
            .check(
                "Test",
                &[("update", None), ("filter", Some(&"x".repeat(4097)))],
            )
            .unwrap_err();
        let crate::Error::LimitExceeded { limit, message, .. } = &err else {
            panic!("{err:?}");
        };
        assert_eq!(*limit, "expression length");
        assert!(
            message.contains("the filter expression is 4097 bytes"),
            "{message}"
        );

        let longest = "n".repeat(crate::limits::MAX_ATTRIBUTE_NAME_BYTES);
        Path::attribute(longest).render(&mut builder);
        assert!(builder.check("Test", &[]).is_ok());
        Path::attribute("prefs").key("").render(&mut builder);
        // Only the first refused name is reported.
        Path::attribute("é".repeat(40_000)).render(&mut builder);
        let err = builder.check("Test", &[]).unwrap_err();
        let failure = &err.validation_errors().unwrap().errors()[0];
        assert_eq!((failure.path.as_str(), failure.rule), ("prefs.", "name"));
        assert!(failure.message.contains("cannot be empty"));

        let mut builder = ExprBuilder::new();
        Path::attribute("é".repeat(40_000))
            .index(2)
            .render(&mut builder);
        let err = builder.check("Test", &[]).unwrap_err();
        let failure = &err.validation_errors().unwrap().errors()[0];
        // Cut at a character boundary after at most 80 bytes.
        assert_eq!(failure.path, format!("{}…", "é".repeat(40)));
        assert!(failure
            .message
            .contains("at most 65536 bytes (64 KB), and this one has 80000"));
        let mut builder = ExprBuilder::new();
        Path::attribute(format!("a{}", "é".repeat(40_000))).render(&mut builder);
        let err = builder.check("Test", &[]).unwrap_err();
        assert_eq!(
            err.validation_errors().unwrap().errors()[0].path,
            format!("a{}…", "é".repeat(39))
        );
        let mut builder = ExprBuilder::new();
        let short = "s".repeat(81);
        Path::attribute("").key(short).render(&mut builder);
        let err = builder.check("Test", &[]).unwrap_err();
        assert_eq!(
            err.validation_errors().unwrap().errors()[0].path,
            format!("{}…", "s".repeat(80))
        );
        // Exactly 80 bytes are not cut.
        let mut builder = ExprBuilder::new();
        Path::attribute("").key("s".repeat(80)).render(&mut builder);
        let err = builder.check("Test", &[]).unwrap_err();
        assert_eq!(
            err.validation_errors().unwrap().errors()[0].path,
            "s".repeat(80)
        );
    }

    #[test]
    fn update_actions_list_their_operands() {
        let set = |v: SetValue| UpdateAction::Set(Path::attribute("p"), v);
        let count = |a: UpdateAction| a.operands().count();
        assert_eq!(count(set(SetValue::Value(value("1")))), 1);
        assert_eq!(count(set(SetValue::IfNotExists(value("1")))), 1);
        assert_eq!(count(set(SetValue::Append(value("1")))), 1);
        assert_eq!(count(set(SetValue::Prepend(value("1")))), 1);
        assert_eq!(count(set(SetValue::Path(Path::attribute("q")))), 0);
        assert_eq!(
            count(set(SetValue::Increment {
                zero: value("0"),
                amount: value("1")
            })),
            2
        );
        assert_eq!(
            count(set(SetValue::Decrement {
                zero: value("0"),
                amount: value("1")
            })),
            2
        );
        assert_eq!(count(UpdateAction::Remove(Path::attribute("p"))), 0);
        assert_eq!(
            count(UpdateAction::Add(Path::attribute("p"), value("1"))),
            1
        );
        assert_eq!(
            count(UpdateAction::Delete(Path::attribute("p"), value("1"))),
            1
        );

        let stored = |a: UpdateAction| a.stored_value().cloned();
        let one = Some(AttributeValue::N("1".into()));
        assert_eq!(stored(set(SetValue::Value(value("1")))), one);
        assert_eq!(stored(set(SetValue::IfNotExists(value("1")))), one);
        assert_eq!(stored(set(SetValue::Append(value("1")))), None);
        assert_eq!(
            stored(UpdateAction::Add(Path::attribute("p"), value("1"))),
            None
        );
    }
}
