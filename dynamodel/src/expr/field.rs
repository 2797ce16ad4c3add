//! Typed attribute handles and the marker traits that decide which
//! operators and update actions a field's type allows.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::marker::PhantomData;

use aws_sdk_dynamodb::types::AttributeValue;

use super::condition::{AttributeType, Comparator, Condition, ConditionNode, Operand, Size};
use super::Path;
use crate::settings::validation::ValidationErrors;
use crate::value::{Attribute, ConvertError};
use crate::Model;

/// Marks a handle on an attribute the model requires (not an `Option`): it
/// cannot be `remove`d by an update.
#[derive(Debug, Clone, Copy)]
pub struct Required;

/// Marks a handle on an attribute that may be absent (an `Option` field, a
/// map entry, a list element, a runtime path): it can be `remove`d.
#[derive(Debug, Clone, Copy)]
pub struct Optional;

/// A value a typed handle accepts for an attribute holding `T`: `T` itself
/// or anything that converts into it with [`Into`] (`&str` for a `String`).
///
/// A date-time field takes the date-time in every storage, never its
/// stored number or text, so a value cannot be compared in the wrong
/// format. (The compiler's message names the attribute's type and the
/// value's, and nothing else: it cannot tell a date-time field from a
/// number, so it speaks of neither.)
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a value of this attribute's type `{T}`",
    label = "this attribute holds `{T}`",
    note = "a typed handle takes its attribute's own type `{T}`, or a type with `Into<{T}>`, which `{Self}` is not: convert the value to `{T}` first"
)]
pub trait IntoFieldValue<T> {
    /// The value as the attribute's type.
    fn into_value(self) -> T;
}

// Not recommended, so a wrong type reports the message above rather than
// the missing `From` impl behind it.
#[diagnostic::do_not_recommend]
impl<T, V: Into<T>> IntoFieldValue<T> for V {
    #[inline]
    fn into_value(self) -> T {
        self.into()
    }
}

/// Types DynamoDB orders: `lt`, `le`, `gt`, `ge` and `between` compare
/// numbers, strings and binary.
#[diagnostic::on_unimplemented(
    message = "`{Self}` has no order in DynamoDB, so it cannot be compared with lt/le/gt/ge/between",
    label = "DynamoDB orders only numbers, strings and binary",
    note = "compare it with `eq`/`ne`/`is_in` instead"
)]
pub trait Comparable: Attribute {}

/// Number types: `add`, `increment` and `decrement` do arithmetic on them.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a number, so it cannot be incremented or decremented",
    label = "only number attributes support arithmetic"
)]
pub trait Numeric: Attribute {
    /// The number zero, the start of an attribute that does not exist yet.
    fn zero() -> Self;
}

/// Types DynamoDB's `ADD` works on: numbers (added) and sets (united).
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be the target of an `add`",
    label = "DynamoDB's ADD works only on numbers and sets",
    note = "use `set` to replace the value, or `append` to add to a list"
)]
pub trait Addable: Attribute {}

/// Set types (stored as `SS`, `NS` or `BS`): `delete` removes elements,
/// `contains` tests one.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a DynamoDB set",
    label = "only set attributes (SS, NS, BS) support this"
)]
pub trait SetAttribute: Attribute {
    /// The type of the set's elements.
    type Element: Attribute;
}

/// Types DynamoDB's `contains` works on: a substring of a string, an
/// element of a set or list.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be tested with `contains`",
    label = "`contains` works on strings, sets and lists"
)]
pub trait Containable: Attribute {
    /// What `contains` looks for: a substring or an element.
    type Element: Attribute;
}

/// Types with a DynamoDB `size`: strings, binary, lists, maps and sets.
#[diagnostic::on_unimplemented(
    message = "`{Self}` has no size in DynamoDB",
    label = "`size` works on strings, binary, lists, maps and sets"
)]
pub trait HasSize: Attribute {}

macro_rules! numbers {
    ($($t:ty),*) => {$(
        impl Comparable for $t {}
        impl Numeric for $t {
            fn zero() -> Self {
                0 as $t
            }
        }
        impl Addable for $t {}
    )*};
}
numbers!(i8, i16, i32, i64, i128, isize, u8, u16, u32, u64, u128, usize, f32, f64);

impl Comparable for crate::Number {}
impl Numeric for crate::Number {
    fn zero() -> Self {
        crate::Number::from(0u8)
    }
}
impl Addable for crate::Number {}

impl Comparable for crate::Binary {}
impl HasSize for crate::Binary {}

impl Comparable for String {}
#[cfg(feature = "uuid")]
impl Comparable for uuid::Uuid {}
#[cfg(feature = "ulid")]
impl Comparable for ulid::Ulid {}
// Every date storage orders by time: epoch numbers, and ISO 8601 text in
// one fixed width.
impl Comparable for std::time::SystemTime {}
#[cfg(feature = "chrono")]
impl Comparable for chrono::DateTime<chrono::Utc> {}
#[cfg(feature = "time")]
impl Comparable for time::OffsetDateTime {}
impl Containable for String {
    type Element = String;
}
impl HasSize for String {}

impl<T: Attribute> Containable for Vec<T> {
    type Element = T;
}
impl<T: Attribute> HasSize for Vec<T> {}
impl<T: Attribute, S: std::hash::BuildHasher + Default> HasSize for HashMap<String, T, S> {}
impl<T: Attribute> HasSize for BTreeMap<String, T> {}

impl<T: Attribute, S> SetAttribute for HashSet<T, S>
where
    HashSet<T, S>: Attribute,
{
    type Element = T;
}
impl<T: Attribute, S> Addable for HashSet<T, S> where HashSet<T, S>: Attribute {}
impl<T: Attribute, S> Containable for HashSet<T, S>
where
    HashSet<T, S>: Attribute,
{
    type Element = T;
}
impl<T: Attribute, S> HasSize for HashSet<T, S> where HashSet<T, S>: Attribute {}
impl<T: Attribute> SetAttribute for BTreeSet<T>
where
    BTreeSet<T>: Attribute,
{
    type Element = T;
}
impl<T: Attribute> Addable for BTreeSet<T> where BTreeSet<T>: Attribute {}
impl<T: Attribute> Containable for BTreeSet<T>
where
    BTreeSet<T>: Attribute,
{
    type Element = T;
}
impl<T: Attribute> HasSize for BTreeSet<T> where BTreeSet<T>: Attribute {}

/// A typed handle on one attribute (or a place inside one) of model `M`,
/// holding a value of type `T`.
///
/// The derive generates one per field (`User::fields().age`); its methods
/// only accept values of the field's type, so `age.gt("x")` does not
/// compile, and only offer what DynamoDB allows for the type (no `gt` on a
/// `bool`). `P` is [`Required`] or [`Optional`]: only optional attributes
/// can be removed by an update.
pub struct Field<M, T, P = Required> {
    path: Path,
    rules: Rules<T>,
    types: PhantomData<Marker<M, T, P>>,
}

type Marker<M, T, P> = fn() -> (M, T, P);

/// The schema settings a handle applies to the values it writes: the
/// field's `set` transform, its validation, and (for fields stored through
/// an adapter, whose handle type differs from the field's type) both at once
/// on the converted value.
pub(crate) struct Rules<T> {
    pub(crate) set: Option<fn(T) -> T>,
    pub(crate) check: Option<fn(&T, &mut ValidationErrors)>,
    pub(crate) encoded: Option<EncodedRule>,
    /// The field's storage, when it is not `T`'s own [`Attribute`] impl (a
    /// date-time stored as seconds or ISO 8601 text): every value the handle
    /// writes goes through it, so a condition compares with what is stored.
    pub(crate) store: Option<StoreFn<T>>,
    /// How the field's value is written into an index key template, for a
    /// field one names: an update writing it renders the index attribute.
    pub(crate) key_part: Option<KeyPartFn<T>>,
}

/// Writes a handle's value into a key template (see [`crate::key::KeyPart`]).
pub type KeyPartFn<T> = fn(&T, &mut String) -> Result<(), ConvertError>;

/// Converts a handle's value the way its field stores it.
pub type StoreFn<T> = fn(&T) -> Result<Option<AttributeValue>, ConvertError>;

/// A rule applied to an already converted value: the transform, then (when
/// given somewhere to report) the validation.
pub type EncodedRule =
    fn(AttributeValue, Option<&mut ValidationErrors>) -> Result<AttributeValue, ConvertError>;

impl<T> Clone for Rules<T> {
    fn clone(&self) -> Self {
        Rules {
            set: self.set,
            check: self.check,
            encoded: self.encoded,
            store: self.store,
            key_part: self.key_part,
        }
    }
}

impl<T> Rules<T> {
    const NONE: Self = Rules {
        set: None,
        check: None,
        encoded: None,
        store: None,
        key_part: None,
    };

    /// Converts `value` through the field's storage (no transform, no
    /// validation): `T`'s own [`Attribute`] impl unless the field says otherwise.
    pub(crate) fn store(&self, value: &T) -> Result<Option<AttributeValue>, ConvertError>
    where
        T: Attribute,
    {
        match self.store {
            Some(store) => store(value),
            None => value.to_attribute(),
        }
    }

    /// [`Rules::store`] of a value no longer needed: `T`'s own impl moves
    /// what the value owns rather than copying it.
    pub(crate) fn store_owned(&self, value: T) -> Result<Option<AttributeValue>, ConvertError>
    where
        T: Attribute,
    {
        match self.store {
            Some(store) => store(&value),
            None => value.into_attribute(),
        }
    }
}

impl<M, T, P> Clone for Field<M, T, P> {
    fn clone(&self) -> Self {
        Field {
            path: self.path.clone(),
            rules: self.rules.clone(),
            types: PhantomData,
        }
    }
}

impl<M, T, P> std::fmt::Debug for Field<M, T, P> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Field")
            .field(&self.path.display_name())
            .finish()
    }
}

impl<M: Model, T: Attribute> Field<M, T, Optional> {
    /// A handle on the attribute at `path`, for attribute names known only
    /// at run time. Still placeholder-safe: any name works. Prefer the
    /// generated handles (`User::fields()`), which are checked at compile time.
    pub fn dynamic(path: Path) -> Self {
        Field::new(path)
    }
}

impl<M: Model, T: Attribute, P> Field<M, T, P> {
    /// A handle on the attribute at `path` (used by generated code; see
    /// [`Field::dynamic`] for runtime names).
    pub fn new(path: Path) -> Self {
        Field {
            path,
            rules: Rules::NONE,
            types: PhantomData,
        }
    }

    /// The handle with the field's schema settings attached: `set` transforms
    /// the values written through it (in conditions and updates), `check`
    /// validates the values updates write (reporting paths relative to the
    /// field). Used by generated code.
    #[doc(hidden)]
    pub fn with_rules(
        mut self,
        set: Option<fn(T) -> T>,
        check: Option<fn(&T, &mut ValidationErrors)>,
    ) -> Self {
        self.rules.set = set;
        self.rules.check = check;
        self
    }

    /// The handle with a rule applied to converted values, for fields stored
    /// through an adapter. Used by generated code.
    #[doc(hidden)]
    pub fn with_encoded_rule(mut self, rule: EncodedRule) -> Self {
        self.rules.encoded = Some(rule);
        self
    }

    /// The handle with the field's storage attached: values written through
    /// it (in conditions and updates) are converted by `store` instead of
    /// `T`'s own [`Attribute`] impl, e.g. a date-time as epoch seconds or
    /// ISO 8601 text. Used by generated code.
    #[doc(hidden)]
    pub fn with_storage(mut self, store: StoreFn<T>) -> Self {
        self.rules.store = Some(store);
        self
    }

    /// The handle of a field an index key template names, with the field's
    /// key encoding: an update writing the field renders the index
    /// attribute from it. Used by generated code.
    #[doc(hidden)]
    pub fn with_key_part(mut self, key_part: KeyPartFn<T>) -> Self {
        self.rules.key_part = Some(key_part);
        self
    }

    /// The schema settings the handle applies to the values it writes (see
    /// `crate::pipeline::update`).
    pub(crate) fn rules(&self) -> &Rules<T> {
        &self.rules
    }

    /// The attribute's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Converts `value` the way it is stored, through the field's `set`
    /// transform (for values in conditions: no validation).
    pub(crate) fn encode(&self, value: T) -> Result<AttributeValue, ConvertError> {
        let value = match self.rules.set {
            Some(set) => set(value),
            None => value,
        };
        let av = crate::value::present(self.rules.store_owned(value)?)?;
        match self.rules.encoded {
            Some(rule) => rule(av, None),
            None => Ok(av),
        }
    }

    pub(crate) fn operand(&self, value: T) -> Operand {
        Operand::Value {
            attribute: self.path.clone(),
            value: self.encode(value),
        }
    }

    /// An operand converted through the field's storage, without the
    /// transform (for the amounts of `increment` / `decrement`, which are
    /// not values of the field).
    pub(crate) fn stored_operand(&self, value: &T) -> Operand {
        Operand::Value {
            attribute: self.path.clone(),
            value: self.rules.store(value).and_then(crate::value::present),
        }
    }

    /// An operand converted without the transform hook (for elements and sizes).
    pub(crate) fn raw_operand<V: Attribute>(&self, value: &V) -> Operand {
        Operand::Value {
            attribute: self.path.clone(),
            value: value.to_attribute().and_then(crate::value::present),
        }
    }

    fn compare(&self, op: Comparator, value: T) -> Condition<M> {
        let right = self.operand(value);
        Condition::from_node(ConditionNode::Compare(
            Operand::Path(self.path.clone()),
            op,
            right,
        ))
    }

    /// `attribute = value`
    pub fn eq(&self, value: impl IntoFieldValue<T>) -> Condition<M> {
        self.compare(Comparator::Eq, value.into_value())
    }

    /// `attribute <> value`
    pub fn ne(&self, value: impl IntoFieldValue<T>) -> Condition<M> {
        self.compare(Comparator::Ne, value.into_value())
    }

    /// `attribute = other attribute`
    pub fn eq_field<Q>(&self, other: &Field<M, T, Q>) -> Condition<M> {
        Condition::from_node(ConditionNode::Compare(
            Operand::Path(self.path.clone()),
            Comparator::Eq,
            Operand::Path(other.path.clone()),
        ))
    }

    /// `attribute IN (values...)` (1 to 100 values).
    pub fn is_in<V: IntoFieldValue<T>>(&self, values: impl IntoIterator<Item = V>) -> Condition<M> {
        let list = values
            .into_iter()
            .map(|value| self.operand(value.into_value()))
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

    /// `attribute_type(attribute, type)`: the stored attribute has DynamoDB type `kind`.
    pub fn attribute_type(&self, kind: AttributeType) -> Condition<M> {
        Condition::from_node(ConditionNode::AttributeType(self.path.clone(), kind.tag()))
    }
}

impl<M: Model, T: Comparable, P> Field<M, T, P> {
    /// `attribute < value`
    pub fn lt(&self, value: impl IntoFieldValue<T>) -> Condition<M> {
        self.compare(Comparator::Lt, value.into_value())
    }

    /// `attribute <= value`
    pub fn le(&self, value: impl IntoFieldValue<T>) -> Condition<M> {
        self.compare(Comparator::Le, value.into_value())
    }

    /// `attribute > value`
    pub fn gt(&self, value: impl IntoFieldValue<T>) -> Condition<M> {
        self.compare(Comparator::Gt, value.into_value())
    }

    /// `attribute >= value`
    pub fn ge(&self, value: impl IntoFieldValue<T>) -> Condition<M> {
        self.compare(Comparator::Ge, value.into_value())
    }

    /// `attribute BETWEEN low AND high` (both ends included).
    pub fn between(
        &self,
        low: impl IntoFieldValue<T>,
        high: impl IntoFieldValue<T>,
    ) -> Condition<M> {
        Condition::from_node(ConditionNode::Between(
            Operand::Path(self.path.clone()),
            self.operand(low.into_value()),
            self.operand(high.into_value()),
        ))
    }
}

impl<M: Model, T: HasSize, P> Field<M, T, P> {
    /// `size(attribute)`, to compare: `tags.size().gt(3)`.
    pub fn size(&self) -> Size<M> {
        Size::new(self.path.clone())
    }
}

impl<M: Model, T: Containable, P> Field<M, T, P> {
    /// `contains(attribute, x)`: a substring of a string, an element of a set or list.
    pub fn contains(&self, element: impl Into<T::Element>) -> Condition<M> {
        let element = self.raw_operand(&element.into());
        Condition::from_node(ConditionNode::Contains(self.path.clone(), element))
    }
}

impl<M: Model, P> Field<M, String, P> {
    /// `begins_with(attribute, prefix)`
    pub fn begins_with(&self, prefix: impl Into<String>) -> Condition<M> {
        let prefix = self.operand(prefix.into());
        Condition::from_node(ConditionNode::BeginsWith(self.path.clone(), prefix))
    }
}

impl<M: Model, T: Attribute, S: std::hash::BuildHasher + Default, P>
    Field<M, HashMap<String, T, S>, P>
{
    /// The entry `key` of this map attribute (`prefs.theme`).
    pub fn key(&self, key: impl Into<String>) -> Field<M, T, Optional> {
        Field::new(self.path.clone().key(key))
    }
}

impl<M: Model, T: Attribute, P> Field<M, BTreeMap<String, T>, P> {
    /// The entry `key` of this map attribute (`prefs.theme`).
    pub fn key(&self, key: impl Into<String>) -> Field<M, T, Optional> {
        Field::new(self.path.clone().key(key))
    }
}

impl<M: Model, T: Attribute, P> Field<M, Vec<T>, P> {
    /// The element at `index` of this list attribute (`tags[0]`).
    pub fn at(&self, index: usize) -> Field<M, T, Optional> {
        Field::new(self.path.clone().index(index))
    }
}
