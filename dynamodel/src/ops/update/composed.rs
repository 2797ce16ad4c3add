//! Index keys composed from fields, kept in step by updates, as ElectroDB
//! does: an update that writes a field an index key template names
//! (`gsi(name = "gsi1", sk = "STATUS#{status}#{placed_at}")`) also writes
//! the index attribute (`gsi1sk`), rendered from the new values.
//!
//! # Guarantees
//!
//! - **The same key as a whole-item write.** Each value is encoded by the
//!   field's [`KeyPart`](crate::key::KeyPart) after its `set` transform, and
//!   the template is rendered by the same function a put uses
//!   ([`IndexKeyTemplate::render_encoded`]), so the stored attribute is
//!   byte-identical to what a put of the updated item writes. It is sent
//!   through a placeholder like every value, and checked against
//!   DynamoDB's key limits before sending.
//! - **All or nothing.** A template is rendered only when the update knows
//!   every field it names: the fields written with `set` (or a patch), and
//!   the fields of the item's own key. An update writing some of them but
//!   not all fails with [`Error::InvalidRequest`] naming the model, the
//!   index and the missing fields, before anything is sent: the index key
//!   would otherwise disagree with the item.
//! - **A generated field is never guessed.** A missing field that
//!   `#[dynamodel(generate = ...)]` fills is not rendered from a fresh
//!   value, even by an upsert that may create the item: the update cannot
//!   tell whether the item exists, and an existing item's value is another
//!   one. The refusal says so, and what to do: give the stored value with
//!   `composite()`, set the field, or write the whole item. ElectroDB
//!   throws on such a partial key as well.
//! - **Sparse indexes.** Removing an `Option` field a template names (or
//!   setting it to `NULL` through a patch) removes the index attribute, as a
//!   whole-item write of an item without the value writes none: the item
//!   leaves the index, whatever the template's other fields hold.
//! - **What cannot be rendered is refused.** `set_if_not_exists` (the stored
//!   value may be kept), `add` / `increment` / `decrement` (DynamoDB
//!   computes the value), `set_to_field` (a stored value), a write inside the
//!   field, a write through a handle without the field's encoding
//!   ([`crate::expr::Field::dynamic`]) and a write of the index attribute
//!   itself: each fails with [`Error::InvalidRequest`] saying why, before
//!   sending. ElectroDB refuses these too.
//! - **`composite()`: current values, checked.** A field the update does
//!   not change may be given with [`crate::ops::Update::composite`]: its
//!   value renders the index key, and is not written. The update carries
//!   the condition that the stored value is the one given (`field = value`;
//!   on an upsert, `attribute_not_exists(pk) OR field = value`, and the
//!   value is written with `if_not_exists`, so an item the upsert creates
//!   holds the fields its index key was rendered from). If the caller is
//!   wrong, the update fails with [`Error::ConditionFailed`] and writes
//!   nothing, instead of storing an index key that disagrees with the item.
//!   A field of the primary key (an update cannot change it, and knows it
//!   from its key, whether or not an index names it), a field no index key
//!   template names, a field the update also writes, or one given twice is
//!   refused with [`Error::InvalidRequest`] before sending. ElectroDB's `composite()`
//!   supplies such values too, without the condition.
//! - **An upsert creates an indexed item.** When an upsert may create the
//!   item, a template none of whose fields it writes, but whose fields are
//!   all known without reading the item (the item's key, values given with
//!   `composite()`, fields `#[dynamodel(generate = ...)]` fills), is
//!   rendered and written with `if_not_exists`, so the item it creates is
//!   in the index, as a put of it would be. A generated value is then
//!   written with `if_not_exists` too, under the condition that the field
//!   and the index attribute are both present or both absent (an item
//!   holding only one was not written through this model: the upsert fails
//!   with [`Error::ConditionFailed`] rather than store a key rendered from a
//!   value the item does not hold).
//! - **Tracked saves** ([`crate::Db::save_changes`]) know the whole item:
//!   they write the index attributes a put of the item would write, and
//!   carry the condition that the template fields they did not change are
//!   still the ones read (or the version check, on a versioned model).

use aws_sdk_dynamodb::types::AttributeValue;

use crate::expr::{Comparator, ConditionNode, Operand, Path, PathElement, SetValue, UpdateAction};
use crate::key::template::IndexKeyTemplate;
use crate::model::GeneratedField;
use crate::pipeline::update::KeyPart;
use crate::{Error, Item, Result};

/// What an update wrote into a field an index key template names, through
/// a typed handle.
#[derive(Clone)]
pub(crate) enum Written {
    /// The value's encoding in a key template (or why it has none).
    Part(KeyPart),
    /// `NULL`: the value is absent, as for `None`.
    Absent,
}

/// What an update knows of the fields its index key templates name.
#[derive(Clone, Default)]
pub(crate) struct Composing {
    /// By index of the action in the update expression: what a typed
    /// handle wrote.
    written: Vec<(usize, Written)>,
    /// The encodings of the fields of the item's key.
    from_key: Vec<(&'static str, KeyPart)>,
    /// The index attributes a whole-item write of the updated item writes
    /// (a tracked save knows the item): used instead of rendering.
    whole: Option<Item>,
    /// The current values given with `composite()`, in call order.
    supplied: Vec<Supplied>,
}

/// A current value given with `Update::composite`: rendered into index
/// keys, checked by a condition, never changed.
#[derive(Clone)]
pub(crate) struct Supplied {
    /// The handle's path.
    path: Path,
    /// The value's encoding in a key template; `None` when the handle has
    /// none (no index key template names its field).
    part: Option<KeyPart>,
    /// The value as stored, for the condition (and an upsert's write).
    value: Operand,
}

impl Supplied {
    /// A value given for the field at `path`.
    pub(crate) fn new(path: Path, part: Option<KeyPart>, value: Operand) -> Self {
        Supplied { path, part, value }
    }

    /// The top-level attribute the value is given for.
    fn attribute(&self) -> Option<&str> {
        match self.path.elements() {
            [PathElement::Attribute(name)] => Some(name),
            _ => None,
        }
    }
}

impl Composing {
    /// Knows the fields of the item's key (their encodings, by stored name).
    pub(crate) fn from_key(from_key: Vec<(&'static str, KeyPart)>) -> Self {
        Composing {
            from_key,
            ..Composing::default()
        }
    }

    /// Records what the action at `action` wrote.
    pub(crate) fn record(&mut self, action: usize, written: Written) {
        self.written.push((action, written));
    }

    /// Takes the index attributes from `whole` (the item's key attributes,
    /// as a whole-item write renders them) rather than rendering them.
    pub(crate) fn use_whole_item(&mut self, whole: Item) {
        self.whole = Some(whole);
    }

    /// Records a value given with `composite()`.
    pub(crate) fn supply(&mut self, supplied: Supplied) {
        self.supplied.push(supplied);
    }

    fn written(&self, action: usize) -> Option<&Written> {
        self.written
            .iter()
            .rev()
            .find(|(at, _)| *at == action)
            .map(|(_, written)| written)
    }
}

/// Why a write of a template field leaves the index key unknown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Unrenderable {
    IfNotExists,
    Computed,
    Copied,
    Inside,
    Untyped,
    RequiredRemoved,
}

impl Unrenderable {
    fn reason(self) -> &'static str {
        match self {
            Unrenderable::IfNotExists => {
                "`set_if_not_exists` may keep the stored value, which the update does not know"
            }
            Unrenderable::Computed => {
                "DynamoDB computes the new value, which the update does not know"
            }
            Unrenderable::Copied => {
                "`set_to_field` copies a stored value, which the update does not know"
            }
            Unrenderable::Inside => "the update writes inside it",
            Unrenderable::Untyped => {
                "it is written through a handle without the field's key encoding (`Field::dynamic`)"
            }
            Unrenderable::RequiredRemoved => "it is not an `Option`, so it cannot be removed",
        }
    }
}

/// What one action does to one template field.
enum Effect<'a> {
    Part(&'a KeyPart),
    Absent,
}

/// The effect of `action` (at index `at`) on the template field `field`
/// of `template`.
fn effect<'a>(
    template: &IndexKeyTemplate,
    field: &str,
    at: usize,
    action: &UpdateAction,
    composing: &'a Composing,
) -> std::result::Result<Effect<'a>, Unrenderable> {
    if action.path().elements().len() != 1 {
        return Err(Unrenderable::Inside);
    }
    match action {
        UpdateAction::Set(_, SetValue::Value(_)) => match composing.written(at) {
            Some(Written::Part(part)) => Ok(Effect::Part(part)),
            Some(Written::Absent) => Ok(Effect::Absent),
            None => Err(Unrenderable::Untyped),
        },
        UpdateAction::Remove(_) if template.is_optional(field) => Ok(Effect::Absent),
        UpdateAction::Remove(_) => Err(Unrenderable::RequiredRemoved),
        UpdateAction::Set(_, SetValue::IfNotExists(_)) => Err(Unrenderable::IfNotExists),
        UpdateAction::Set(_, SetValue::Path(_)) => Err(Unrenderable::Copied),
        _ => Err(Unrenderable::Computed),
    }
}

/// The top-level attribute an action writes.
fn top_attribute(action: &UpdateAction) -> Option<&str> {
    match action.path().elements().first() {
        Some(PathElement::Attribute(name)) => Some(name),
        _ => None,
    }
}

/// `` `a`, `b` ``
fn listed<'a>(names: impl IntoIterator<Item = &'a str>) -> String {
    names
        .into_iter()
        .map(|name| format!("`{name}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Refuses, before sending, a `composite()` value the update cannot use:
/// one for a field of the primary key (`primary_key` tells the key
/// attributes and the fields their templates name), for a field no
/// template of `templates` names (or through a handle inside a field, or
/// without its key encoding), for a field `actions` write, or one given
/// twice.
pub(crate) fn check_supplied(
    model: &'static str,
    templates: &[IndexKeyTemplate],
    actions: &[UpdateAction],
    composing: &Composing,
    primary_key: impl Fn(&str) -> bool,
) -> Result<()> {
    let refuse = |message: String| Err(Error::InvalidRequest { model, message });
    for (at, supplied) in composing.supplied.iter().enumerate() {
        let shown = supplied.path.display_name();
        // Checked first: a key field that no index template names would
        // otherwise be refused for that, not for being the key.
        let top = supplied.path.elements().first();
        if let Some(PathElement::Attribute(name)) = top {
            if primary_key(name) {
                return refuse(format!(
                    "`{shown}` is given to `composite()` but is part of the primary key, which an update cannot change and takes from the key it is given: give `composite()` only index key template fields outside the primary key"
                ));
            }
        }
        let named = supplied
            .attribute()
            .filter(|name| templates.iter().any(|t| t.names(name)));
        let Some(name) = named.filter(|_| supplied.part.is_some()) else {
            return refuse(format!(
                "`{shown}` is given to `composite()` but composes no index key of the model: `composite()` takes the fields of index key templates only"
            ));
        };
        if actions.iter().any(|a| top_attribute(a) == Some(name)) {
            return refuse(format!(
                "`{shown}` is given to `composite()` and written by the update: the index key is rendered from the value written, so give `composite()` only fields the update leaves as they are"
            ));
        }
        if composing.supplied[..at]
            .iter()
            .any(|earlier| earlier.attribute() == Some(name))
        {
            return refuse(format!("`{shown}` is given to `composite()` twice"));
        }
    }
    Ok(())
}

/// The conditions that the stored values of the fields given with
/// `composite()` are the ones given and, when the update may create the
/// item (`may_create`, an upsert: the condition then also holds when no
/// item has the key attribute `hash_key`), the `if_not_exists` writes that
/// give a created item those values.
pub(crate) fn supplied_checks(
    composing: &Composing,
    hash_key: &str,
    may_create: bool,
) -> (Vec<ConditionNode>, Vec<UpdateAction>) {
    let mut conditions = Vec::with_capacity(composing.supplied.len());
    let mut writes = Vec::new();
    for supplied in &composing.supplied {
        let equal = ConditionNode::Compare(
            Operand::Path(supplied.path.clone()),
            Comparator::Eq,
            supplied.value.clone(),
        );
        if may_create {
            conditions.push(ConditionNode::Or(vec![
                ConditionNode::NotExists(Path::attribute(hash_key)),
                equal,
            ]));
            writes.push(UpdateAction::Set(
                supplied.path.clone(),
                SetValue::IfNotExists(supplied.value.clone()),
            ));
        } else {
            conditions.push(equal);
        }
    }
    (conditions, writes)
}

/// For an upsert, which may create the item: the index keys the item it
/// creates must have, and what keeps them true of an item it does not.
///
/// A template none of whose fields `actions` write is rendered when every
/// field it names is known without reading the item (the item's key, the
/// values given with `composite()`, fresh values of the fields `generate`
/// fills: `generated`) and one is not the key's. The index attribute is
/// written with `if_not_exists` (an existing item keeps its own), and so is
/// each generated value used (instead of the one the automatic writes would
/// generate), with the condition that the generated field and the index
/// attribute are both present or both absent: an item holding one without
/// the other was not written by this model, and the upsert fails rather
/// than store a key rendered from a value the item does not hold. (A value
/// given with `composite()` is checked by its own condition.)
pub(crate) fn created_index_keys(
    templates: &[IndexKeyTemplate],
    actions: &[UpdateAction],
    composing: &Composing,
    generated: &[GeneratedField],
) -> (Vec<UpdateAction>, Vec<ConditionNode>) {
    let mut writes = Vec::new();
    let mut conditions = Vec::new();
    let mut generated_written: Vec<&str> = Vec::new();
    let supplied = |field: &str| {
        composing
            .supplied
            .iter()
            .any(|s| s.attribute() == Some(field))
    };
    // A value `composite()` gives is the stored one: it wins over a fresh one.
    let fresh = |field: &str| {
        generated
            .iter()
            .find(|(name, _, _)| *name == field && !supplied(field))
    };
    for template in templates {
        let touched = actions
            .iter()
            .filter_map(top_attribute)
            .any(|name| name == template.attribute || template.names(name));
        let fresh_fields: Vec<&GeneratedField> = template.fields().filter_map(fresh).collect();
        if touched || (fresh_fields.is_empty() && !template.fields().any(supplied)) {
            continue;
        }
        let given: Vec<(&str, &KeyPart)> = fresh_fields
            .iter()
            .map(|(name, _, part)| (*name, part))
            .collect();
        // A field nothing gives (an `Option` the upsert leaves absent): an
        // item it creates has no index key, as a put of it would have none.
        let Ok(value) = render(template, &given, composing) else {
            continue;
        };
        let attribute = crate::expr::Path::attribute(template.attribute);
        writes.push(UpdateAction::Set(
            attribute.clone(),
            SetValue::IfNotExists(Operand::Value {
                attribute: attribute.clone(),
                value,
            }),
        ));
        for (name, stored, _) in fresh_fields {
            let field = crate::expr::Path::attribute(*name);
            conditions.push(ConditionNode::Or(vec![
                ConditionNode::And(vec![
                    ConditionNode::Exists(field.clone()),
                    ConditionNode::Exists(attribute.clone()),
                ]),
                ConditionNode::And(vec![
                    ConditionNode::NotExists(field.clone()),
                    ConditionNode::NotExists(attribute.clone()),
                ]),
            ]));
            if !generated_written.contains(name) {
                generated_written.push(name);
                writes.push(UpdateAction::Set(
                    field.clone(),
                    SetValue::IfNotExists(Operand::Value {
                        attribute: field,
                        value: Ok(stored.clone()),
                    }),
                ));
            }
        }
    }
    (writes, conditions)
}

/// The actions writing the index attributes of the templates whose fields
/// `actions` write (see the [module docs](self)), or the error refusing the
/// update. `generated` names the template fields `generate` fills, whose
/// absence the refusal explains.
pub(crate) fn index_key_writes(
    model: &'static str,
    templates: &[IndexKeyTemplate],
    actions: &[UpdateAction],
    composing: &Composing,
    generated: &[&str],
) -> Result<Vec<UpdateAction>> {
    let refuse = |message: String| Error::InvalidRequest { model, message };
    let mut writes = Vec::new();
    for template in templates {
        let mut given: Vec<(&str, &KeyPart)> = Vec::new();
        let mut absent = false;
        for (at, action) in actions.iter().enumerate() {
            let Some(field) = top_attribute(action).filter(|name| template.names(name)) else {
                continue;
            };
            match effect(template, field, at, action, composing) {
                Ok(Effect::Part(part)) => given.push((field, part)),
                Ok(Effect::Absent) => absent = true,
                Err(why) => {
                    return Err(refuse(format!(
                        "`{}` composes the key of index `{}` and {}: the index key could not be rendered (write it with `set`, or write the whole item)",
                        action.path().display_name(),
                        template.index,
                        why.reason()
                    )))
                }
            }
        }
        if given.is_empty() && !absent {
            continue;
        }
        if let Some(action) = actions
            .iter()
            .find(|a| top_attribute(a) == Some(template.attribute))
        {
            return Err(refuse(format!(
                "`{}` is the key of index `{}`, rendered from its fields by the update itself: write the fields instead",
                action.path().display_name(),
                template.index
            )));
        }
        let path = crate::expr::Path::attribute(template.attribute);
        let value = if absent {
            None
        } else if let Some(whole) = &composing.whole {
            whole.get(template.attribute).map(|value| Ok(value.clone()))
        } else {
            Some(
                render(template, &given, composing)
                    .map_err(|missing| refuse(partial(template, &given, &missing, generated)))?,
            )
        };
        writes.push(match value {
            None => UpdateAction::Remove(path),
            Some(value) => UpdateAction::Set(
                path.clone(),
                SetValue::Value(Operand::Value {
                    attribute: path,
                    value,
                }),
            ),
        });
    }
    Ok(writes)
}

/// Why an update writing the fields `given` of `template` cannot render
/// it: the fields `missing` are unknown. A field `generate` fills (one of
/// `generated`) gets its own explanation: its value is made when the item
/// is created, so the caller may not know it, and a fresh one (as an upsert
/// creating the item would use) would not be the stored one.
fn partial(
    template: &IndexKeyTemplate,
    given: &[(&str, &KeyPart)],
    missing: &[&str],
    generated: &[&str],
) -> String {
    let known: Vec<&str> = given.iter().map(|(field, _)| *field).collect();
    let verb = if known.len() == 1 {
        "composes"
    } else {
        "compose"
    };
    let head = format!(
        "{} {verb} the key of index `{}` (attribute `{}`) with {}",
        listed(known),
        template.index,
        template.attribute,
        listed(missing.iter().copied()),
    );
    let unknowable: Vec<&str> = missing
        .iter()
        .copied()
        .filter(|field| generated.contains(field))
        .collect();
    if unknowable.is_empty() {
        return format!(
            "{head}: set {} too, or give the current values with `composite()` (or write the whole item)",
            listed(missing.iter().copied()),
        );
    }
    let (filled, value) = if unknowable.len() == 1 {
        ("is", "value")
    } else {
        ("are", "values")
    };
    format!(
        "{head}: {} {filled} filled by `generate` when the item is created, so the update cannot know the stored {value} (a fresh one would not be an existing item's): give the stored values of {} with `composite()` (read the item first), or set {} too, or write the whole item (`create` and `put` generate {})",
        listed(unknowable.iter().copied()),
        listed(missing.iter().copied()),
        listed(missing.iter().copied()),
        listed(unknowable.iter().copied()),
    )
}

/// Renders `template` from the values written (`given`) and the key's, or
/// names the fields neither holds.
fn render(
    template: &IndexKeyTemplate,
    given: &[(&str, &KeyPart)],
    composing: &Composing,
) -> std::result::Result<
    std::result::Result<AttributeValue, crate::value::ConvertError>,
    Vec<&'static str>,
> {
    let part = |field: &str| -> Option<&KeyPart> {
        given
            .iter()
            .rev()
            .find(|(name, _)| *name == field)
            .map(|(_, part)| *part)
            .or_else(|| {
                composing
                    .from_key
                    .iter()
                    .find(|(name, _)| *name == field)
                    .map(|(_, part)| part)
            })
            .or_else(|| {
                composing
                    .supplied
                    .iter()
                    .find(|supplied| supplied.attribute() == Some(field))
                    .and_then(|supplied| supplied.part.as_ref())
            })
    };
    let missing: Vec<&'static str> = template.fields().filter(|f| part(f).is_none()).collect();
    if !missing.is_empty() {
        return Err(missing);
    }
    // A value that has no encoding fails the update, naming its field.
    for field in template.fields() {
        if let Some(Err(error)) = part(field) {
            return Ok(Err(error.clone().at(field)));
        }
    }
    let rendered = template.render_encoded(|field| match part(field) {
        Some(Ok(text)) => Some(text.as_str()),
        _ => None,
    });
    Ok(rendered.map(AttributeValue::S))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::expr::Path;
    use crate::key::template::{encode_part, render as render_segments, Segment, TemplatePiece};

    /// `gsi1sk = "STATUS#{status}#{placed_at}#{id}"`, `id` being the item's key.
    const STATUS: IndexKeyTemplate = IndexKeyTemplate {
        index: "gsi1",
        attribute: "gsi1sk",
        pieces: &[
            TemplatePiece::Text("STATUS#"),
            TemplatePiece::Field {
                attribute: "status",
                optional: false,
            },
            TemplatePiece::Text("#"),
            TemplatePiece::Field {
                attribute: "placed_at",
                optional: false,
            },
            TemplatePiece::Text("#"),
            TemplatePiece::Field {
                attribute: "id",
                optional: false,
            },
        ],
    };

    /// `coupon_key = "COUPON#{coupon}#{region}"`, both `Option`s (sparse).
    const COUPON: IndexKeyTemplate = IndexKeyTemplate {
        index: "gsi2",
        attribute: "coupon_key",
        pieces: &[
            TemplatePiece::Text("COUPON#"),
            TemplatePiece::Field {
                attribute: "coupon",
                optional: true,
            },
            TemplatePiece::Text("#"),
            TemplatePiece::Field {
                attribute: "region",
                optional: true,
            },
        ],
    };

    fn value(attribute: &str) -> Operand {
        Operand::Value {
            attribute: Path::attribute(attribute),
            value: Ok(AttributeValue::S("stored".into())),
        }
    }

    fn set(name: &str) -> UpdateAction {
        UpdateAction::Set(Path::attribute(name), SetValue::Value(value(name)))
    }

    /// An update writing `writes` (name, encoding) through typed handles,
    /// its key holding `id = "i#1"`.
    fn update(writes: &[(&str, &str)]) -> (Vec<UpdateAction>, Composing) {
        let mut composing = Composing::from_key(vec![("id", encode_part("i#1"))]);
        let mut actions = Vec::new();
        for (name, part) in writes {
            composing.record(actions.len(), Written::Part(Ok((*part).to_owned())));
            actions.push(set(name));
        }
        (actions, composing)
    }

    fn writes(actions: &[UpdateAction], composing: &Composing) -> Result<Vec<UpdateAction>> {
        index_key_writes("Order", &[STATUS, COUPON], actions, composing, &[])
    }

    fn set_value(action: &UpdateAction) -> (String, AttributeValue) {
        match action {
            UpdateAction::Set(
                path,
                SetValue::Value(Operand::Value {
                    attribute,
                    value: Ok(value),
                }),
            ) => {
                assert_eq!(attribute, path);
                (path.display_name(), value.clone())
            }
            other => panic!("not a SET of a value: {other:?}"),
        }
    }

    fn refusal(error: Error) -> String {
        match error {
            Error::InvalidRequest { model, message } => {
                assert_eq!(model, "Order");
                message
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn renders_what_a_whole_item_write_renders() {
        let (status, placed) = (encode_part("PAID"), encode_part(&7u32));
        let (actions, composing) = update(&[
            ("status", status.as_deref().unwrap()),
            ("placed_at", placed.as_deref().unwrap()),
        ]);
        let writes = writes(&actions, &composing).expect("complete");
        assert_eq!(writes.len(), 1, "only the template written: {writes:?}");
        let put = render_segments(&[
            Segment::Text("STATUS#"),
            Segment::Value("status", &"PAID"),
            Segment::Text("#"),
            Segment::Value("placed_at", &7u32),
            Segment::Text("#"),
            Segment::Value("id", &"i#1"),
        ])
        .expect("renders");
        assert_eq!(put, "STATUS#PAID#0000000007#i%231");
        assert_eq!(
            set_value(&writes[0]),
            ("gsi1sk".to_owned(), AttributeValue::S(put))
        );
    }

    #[test]
    fn an_update_of_no_template_field_writes_no_index_key() {
        let (actions, composing) = update(&[("note", "x")]);
        assert!(writes(&actions, &composing).expect("fine").is_empty());
        assert!(writes(&[], &composing).expect("fine").is_empty());
    }

    #[test]
    fn a_partial_template_is_refused_naming_index_and_missing_fields() {
        let (actions, composing) = update(&[("status", "PAID")]);
        let message = refusal(writes(&actions, &composing).expect_err("partial"));
        assert_eq!(
            message,
            "`status` composes the key of index `gsi1` (attribute `gsi1sk`) with `placed_at`: set `placed_at` too, or give the current values with `composite()` (or write the whole item)"
        );
        // The key's field is known; a field of the key alone is no write.
        let (actions, composing) = update(&[("coupon", "C")]);
        let message = refusal(writes(&actions, &composing).expect_err("partial"));
        assert!(message.contains("index `gsi2`"), "{message}");
        assert!(
            message.contains("with `region`: set `region` too"),
            "{message}"
        );
        let mut composing = Composing::default();
        composing.record(0, Written::Part(Ok("PAID".into())));
        let message = refusal(writes(&[set("status")], &composing).expect_err("no key"));
        assert!(message.contains("with `placed_at`, `id`"), "{message}");
    }

    #[test]
    fn removing_an_optional_field_removes_the_index_key() {
        let (mut actions, mut composing) = update(&[]);
        actions.push(UpdateAction::Remove(Path::attribute("coupon")));
        let writes_ = writes(&actions, &composing).expect("sparse");
        assert!(
            matches!(&writes_[..], [UpdateAction::Remove(p)] if p.display_name() == "coupon_key"),
            "{writes_:?}"
        );
        // `NULL` through a patch, beside a value of the other field: absent.
        composing.record(actions.len(), Written::Absent);
        actions.push(set("region"));
        composing.record(actions.len(), Written::Part(Ok("EU".into())));
        actions.push(set("coupon"));
        let writes_ = writes(&actions[1..], &shifted(&composing)).expect("sparse");
        assert!(
            matches!(&writes_[..], [UpdateAction::Remove(_)]),
            "{writes_:?}"
        );
        // A required field cannot be removed.
        let actions = [UpdateAction::Remove(Path::attribute("status"))];
        let message = refusal(writes(&actions, &composing).expect_err("required"));
        assert!(message.contains("not an `Option`"), "{message}");
    }

    /// `composing` with every recorded action moved one place down.
    fn shifted(composing: &Composing) -> Composing {
        let mut out = composing.clone();
        out.written = composing
            .written
            .iter()
            .filter(|(at, _)| *at > 0)
            .map(|(at, w)| (at - 1, w.clone()))
            .collect();
        out
    }

    #[test]
    fn writes_that_cannot_be_rendered_are_refused_with_their_reason() {
        let amount = || value("n");
        let cases = [
            (
                UpdateAction::Set(Path::attribute("status"), SetValue::IfNotExists(amount())),
                "`set_if_not_exists`",
            ),
            (
                UpdateAction::Set(
                    Path::attribute("placed_at"),
                    SetValue::Increment {
                        zero: amount(),
                        amount: amount(),
                    },
                ),
                "DynamoDB computes",
            ),
            (
                UpdateAction::Add(Path::attribute("placed_at"), amount()),
                "DynamoDB computes",
            ),
            (
                UpdateAction::Set(
                    Path::attribute("status"),
                    SetValue::Path(Path::attribute("note")),
                ),
                "`set_to_field`",
            ),
            (
                UpdateAction::Set(
                    Path::attribute("status").key("inner"),
                    SetValue::Value(amount()),
                ),
                "writes inside it",
            ),
            // A SET no typed handle recorded (`Field::dynamic`).
            (set("status"), "`Field::dynamic`"),
        ];
        for (action, reason) in cases {
            let message = refusal(
                writes(std::slice::from_ref(&action), &Composing::default()).expect_err(reason),
            );
            assert!(message.contains(reason), "{message}");
            assert!(message.contains("index `gsi1`"), "{message}");
        }
    }

    #[test]
    fn writing_the_index_attribute_beside_its_fields_is_refused() {
        let (mut actions, composing) = update(&[("status", "A"), ("placed_at", "B")]);
        actions.push(set("gsi1sk"));
        let message = refusal(writes(&actions, &composing).expect_err("both"));
        assert!(
            message.starts_with("`gsi1sk` is the key of index `gsi1`"),
            "{message}"
        );
        // Alone, it is an ordinary attribute write (nothing is rendered).
        let (actions, composing) = update(&[("gsi1sk", "x")]);
        assert!(writes(&actions, &composing).expect("alone").is_empty());
    }

    #[test]
    fn a_value_without_encoding_fails_naming_its_field() {
        let (mut actions, mut composing) = update(&[("status", "A")]);
        composing.record(
            actions.len(),
            Written::Part(Err(crate::value::ConvertError::OutOfRange { target: "t" })),
        );
        actions.push(set("placed_at"));
        let writes = writes(&actions, &composing).expect("planned");
        match &writes[..] {
            [UpdateAction::Set(_, SetValue::Value(Operand::Value { value: Err(e), .. }))] => {
                assert!(e.to_string().contains("placed_at"), "{e}");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_whole_item_supplies_the_index_attributes() {
        let (actions, mut composing) = update(&[("status", "A")]);
        let mut whole = Item::new();
        whole.insert("gsi1sk".into(), AttributeValue::S("STATUS#A#x#y".into()));
        composing.use_whole_item(whole);
        let writes_ = writes(&actions, &composing).expect("whole");
        assert_eq!(
            set_value(&writes_[0]),
            ("gsi1sk".into(), AttributeValue::S("STATUS#A#x#y".into()))
        );
        // Absent from the whole item (a `None` of a sparse template): removed.
        let (actions, mut composing) = update(&[("coupon", "C")]);
        composing.use_whole_item(Item::new());
        let writes_ = writes(&actions, &composing).expect("whole");
        assert!(
            matches!(&writes_[..], [UpdateAction::Remove(_)]),
            "{writes_:?}"
        );
    }

    /// A model whose primary key no field composes.
    fn no_key(_: &str) -> bool {
        false
    }

    fn supplied(name: &str, part: Option<&str>) -> Supplied {
        Supplied::new(
            Path::attribute(name),
            part.map(|p| Ok(p.to_owned())),
            value(name),
        )
    }

    #[test]
    fn composite_values_complete_a_partial_template() {
        let (actions, mut composing) = update(&[("status", "PAID")]);
        composing.supply(supplied("placed_at", Some("0000000007")));
        check_supplied("Order", &[STATUS, COUPON], &actions, &composing, no_key).expect("usable");
        let writes_ = writes(&actions, &composing).expect("complete");
        assert_eq!(
            set_value(&writes_[..1][0]),
            (
                "gsi1sk".to_owned(),
                AttributeValue::S("STATUS#PAID#0000000007#i%231".into())
            )
        );
        assert_eq!(writes_.len(), 1, "{writes_:?}");
        // Given alone, with no field of its template written: no index write.
        let (actions, mut composing) = update(&[("note", "x")]);
        composing.supply(supplied("placed_at", Some("1")));
        assert!(writes(&actions, &composing).expect("fine").is_empty());
        // A value without encoding fails the update, naming its field.
        let (actions, mut composing) = update(&[("status", "PAID")]);
        composing.supply(Supplied::new(
            Path::attribute("placed_at"),
            Some(Err(crate::value::ConvertError::OutOfRange { target: "t" })),
            value("placed_at"),
        ));
        match &writes(&actions, &composing).expect("planned")[..] {
            [UpdateAction::Set(_, SetValue::Value(Operand::Value { value: Err(e), .. }))] => {
                assert!(e.to_string().contains("placed_at"), "{e}");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn composite_values_the_update_cannot_use_are_refused() {
        let check = |actions: &[UpdateAction], composing: &Composing| {
            refusal(
                check_supplied("Order", &[STATUS, COUPON], actions, composing, |name| {
                    // `id` composes the key, as the derive reports it.
                    ["pk", "sk", "tenant", "id"].contains(&name)
                })
                .expect_err("refused"),
            )
        };
        let (actions, base) = update(&[("status", "PAID")]);
        let cases: [(Vec<Supplied>, &str); 8] = [
            (
                vec![supplied("note", Some("x"))],
                "`note` is given to `composite()` but composes no index key of the model",
            ),
            // A template field through a handle without its encoding.
            (
                vec![supplied("placed_at", None)],
                "`placed_at` is given to `composite()` but composes no index key",
            ),
            (
                vec![Supplied::new(
                    Path::attribute("placed_at").key("inner"),
                    Some(Ok("x".into())),
                    value("placed_at"),
                )],
                "`placed_at.inner` is given to `composite()` but composes no index key",
            ),
            // Named by an index template, known from the key.
            (
                vec![supplied("id", Some("x"))],
                "`id` is given to `composite()` but is part of the primary key, which an update cannot change and takes from the key it is given: give `composite()` only index key template fields outside the primary key",
            ),
            // A key template field no index template names.
            (
                vec![supplied("tenant", None)],
                "`tenant` is given to `composite()` but is part of the primary key",
            ),
            // Inside a key attribute.
            (
                vec![Supplied::new(
                    Path::attribute("sk").key("inner"),
                    None,
                    value("sk"),
                )],
                "`sk.inner` is given to `composite()` but is part of the primary key",
            ),
            (
                vec![supplied("status", Some("x"))],
                "`status` is given to `composite()` and written by the update",
            ),
            (
                vec![
                    supplied("placed_at", Some("1")),
                    supplied("coupon", Some("2")),
                    supplied("placed_at", Some("1")),
                ],
                "`placed_at` is given to `composite()` twice",
            ),
        ];
        for (given, expected) in cases {
            let mut composing = base.clone();
            for one in given {
                composing.supply(one);
            }
            let message = check(&actions, &composing);
            assert!(message.starts_with(expected), "{message}");
        }
        // Different fields, each once: fine.
        let mut composing = base.clone();
        composing.supply(supplied("placed_at", Some("1")));
        composing.supply(supplied("coupon", Some("2")));
        check_supplied("Order", &[STATUS, COUPON], &actions, &composing, no_key).expect("usable");
    }

    #[test]
    fn composite_values_are_checked_by_a_condition() {
        let mut composing = Composing::default();
        composing.supply(supplied("placed_at", Some("1")));
        composing.supply(supplied("coupon", Some("2")));
        let shown = |node: &ConditionNode| format!("{node:?}");
        let (conditions, writes_) = supplied_checks(&composing, "pk", false);
        assert!(writes_.is_empty(), "an update writes none: {writes_:?}");
        assert_eq!(conditions.len(), 2);
        for (condition, name) in conditions.iter().zip(["placed_at", "coupon"]) {
            match condition {
                ConditionNode::Compare(
                    Operand::Path(path),
                    Comparator::Eq,
                    Operand::Value { attribute, .. },
                ) => {
                    assert_eq!(path.display_name(), name);
                    assert_eq!(attribute.display_name(), name);
                }
                other => panic!("{}", shown(other)),
            }
        }
        // An upsert: or the item is missing, and then the value is written.
        let (conditions, writes_) = supplied_checks(&composing, "pk", true);
        assert_eq!(conditions.len(), 2);
        for (condition, name) in conditions.iter().zip(["placed_at", "coupon"]) {
            match condition {
                ConditionNode::Or(parts) => match &parts[..] {
                    [ConditionNode::NotExists(key), ConditionNode::Compare(Operand::Path(path), Comparator::Eq, _)] =>
                    {
                        assert_eq!(key.display_name(), "pk");
                        assert_eq!(path.display_name(), name);
                    }
                    other => panic!("{other:?}"),
                },
                other => panic!("{}", shown(other)),
            }
        }
        assert_eq!(writes_.len(), 2);
        for (write, name) in writes_.iter().zip(["placed_at", "coupon"]) {
            assert!(
                matches!(write, UpdateAction::Set(path, SetValue::IfNotExists(Operand::Value { attribute, .. }))
                    if path.display_name() == name && attribute == path),
                "{write:?}"
            );
        }
    }

    /// `token_key = "TOKEN#{token}#{id}"`, `token` generated.
    const TOKEN: IndexKeyTemplate = IndexKeyTemplate {
        index: "by_token",
        attribute: "token_key",
        pieces: &[
            TemplatePiece::Text("TOKEN#"),
            TemplatePiece::Field {
                attribute: "token",
                optional: false,
            },
            TemplatePiece::Text("#"),
            TemplatePiece::Field {
                attribute: "id",
                optional: false,
            },
        ],
    };

    /// `seat_key = "{zone}#{row}#{serial}"`, `serial` generated.
    const SEAT: IndexKeyTemplate = IndexKeyTemplate {
        index: "by_seat",
        attribute: "seat_key",
        pieces: &[
            TemplatePiece::Field {
                attribute: "zone",
                optional: false,
            },
            TemplatePiece::Text("#"),
            TemplatePiece::Field {
                attribute: "row",
                optional: false,
            },
            TemplatePiece::Text("#"),
            TemplatePiece::Field {
                attribute: "serial",
                optional: false,
            },
        ],
    };

    #[test]
    fn a_partial_template_missing_a_generated_field_says_it_cannot_be_known() {
        let seat = |actions: &[UpdateAction], composing: &Composing, generated: &[&str]| {
            index_key_writes("Order", &[SEAT], actions, composing, generated)
        };
        let (actions, composing) = update(&[("zone", "A"), ("row", "3")]);
        let message = refusal(seat(&actions, &composing, &["serial"]).expect_err("partial"));
        assert_eq!(
            message,
            "`zone`, `row` compose the key of index `by_seat` (attribute `seat_key`) with `serial`: `serial` is filled by `generate` when the item is created, so the update cannot know the stored value (a fresh one would not be an existing item's): give the stored values of `serial` with `composite()` (read the item first), or set `serial` too, or write the whole item (`create` and `put` generate `serial`)"
        );
        // Beside a field that is not generated: both listed, the generated
        // one explained.
        let (actions, composing) = update(&[("zone", "A")]);
        let message = refusal(seat(&actions, &composing, &["row", "serial"]).expect_err("partial"));
        assert!(
            message.starts_with(
                "`zone` composes the key of index `by_seat` (attribute `seat_key`) with `row`, `serial`: `row`, `serial` are filled by `generate` when the item is created, so the update cannot know the stored values"
            ),
            "{message}"
        );
        let message = refusal(seat(&actions, &composing, &["serial"]).expect_err("partial"));
        assert!(
            message.contains(": `serial` is filled by `generate`")
                && message.contains("give the stored values of `row`, `serial` with `composite()`"),
            "{message}"
        );
        // A generated field of another template changes nothing.
        let message = refusal(seat(&actions, &composing, &["token"]).expect_err("partial"));
        assert!(
            message.ends_with(": set `row`, `serial` too, or give the current values with `composite()` (or write the whole item)"),
            "{message}"
        );
        // Given with `composite()`, the generated value renders the key.
        let (actions, mut composing) = update(&[("zone", "A"), ("row", "3")]);
        composing.supply(supplied("serial", Some("s1")));
        let writes_ = seat(&actions, &composing, &["serial"]).expect("complete");
        assert_eq!(
            set_value(&writes_[0]),
            ("seat_key".into(), AttributeValue::S("A#3#s1".into()))
        );
    }

    fn generated_token() -> Vec<GeneratedField> {
        vec![("token", AttributeValue::S("t#1".into()), encode_part("t#1"))]
    }

    fn if_not_exists(action: &UpdateAction) -> (String, AttributeValue) {
        match action {
            UpdateAction::Set(
                path,
                SetValue::IfNotExists(Operand::Value {
                    attribute,
                    value: Ok(value),
                }),
            ) => {
                assert_eq!(attribute, path);
                (path.display_name(), value.clone())
            }
            other => panic!("not an if_not_exists: {other:?}"),
        }
    }

    #[test]
    fn an_upsert_renders_the_keys_of_generated_fields_if_absent() {
        let templates = [STATUS, COUPON, TOKEN];
        let (actions, composing) = update(&[("note", "x")]);
        let (writes_, conditions) =
            created_index_keys(&templates, &actions, &composing, &generated_token());
        assert_eq!(writes_.len(), 2, "{writes_:?}");
        assert_eq!(
            if_not_exists(&writes_[0]),
            (
                "token_key".into(),
                AttributeValue::S("TOKEN#t%231#i%231".into())
            )
        );
        assert_eq!(
            if_not_exists(&writes_[1]),
            ("token".into(), AttributeValue::S("t#1".into()))
        );
        assert_eq!(
            format!("{:?}", conditions),
            format!(
                "{:?}",
                [ConditionNode::Or(vec![
                    ConditionNode::And(vec![
                        ConditionNode::Exists(Path::attribute("token")),
                        ConditionNode::Exists(Path::attribute("token_key")),
                    ]),
                    ConditionNode::And(vec![
                        ConditionNode::NotExists(Path::attribute("token")),
                        ConditionNode::NotExists(Path::attribute("token_key")),
                    ]),
                ])]
            )
        );
        // Without a generated value or a composite one: nothing to write.
        let (writes_, conditions) = created_index_keys(&templates, &actions, &composing, &[]);
        assert!(writes_.is_empty() && conditions.is_empty(), "{writes_:?}");
        // A template the update writes a field of is the update's own.
        for written in ["token", "token_key"] {
            let (actions, composing) = update(&[(written, "x")]);
            let (writes_, conditions) =
                created_index_keys(&templates, &actions, &composing, &generated_token());
            assert!(writes_.is_empty() && conditions.is_empty(), "{written}");
        }
        // A field nothing gives: not rendered (an item created lacks it).
        let (actions, no_key) = (Vec::new(), Composing::default());
        let (writes_, _) = created_index_keys(&templates, &actions, &no_key, &generated_token());
        assert!(writes_.is_empty(), "{writes_:?}");
    }

    #[test]
    fn a_composite_value_renders_an_upserted_key_and_beats_a_fresh_one() {
        let (actions, mut composing) = update(&[]);
        composing.supply(supplied("token", Some("given")));
        let (writes_, conditions) =
            created_index_keys(&[TOKEN], &actions, &composing, &generated_token());
        assert_eq!(
            writes_.iter().map(if_not_exists).collect::<Vec<_>>(),
            [(
                "token_key".to_owned(),
                AttributeValue::S("TOKEN#given#i%231".into())
            )],
            "the given value renders the key; it is written by its own check"
        );
        assert!(conditions.is_empty(), "checked by supplied_checks");
        // Two templates naming one generated field write it once.
        let twice = IndexKeyTemplate {
            attribute: "token_key2",
            ..TOKEN
        };
        let (writes_, conditions) = created_index_keys(
            &[TOKEN, twice],
            &actions,
            &update(&[]).1,
            &generated_token(),
        );
        let written: Vec<String> = writes_.iter().map(|w| if_not_exists(w).0).collect();
        assert_eq!(written, ["token_key", "token", "token_key2"]);
        assert_eq!(conditions.len(), 2);
    }
}
