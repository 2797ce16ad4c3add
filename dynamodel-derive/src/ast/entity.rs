//! The entity a model is on a shared table (`dynamodel::entity`): which
//! models are entities, and the names their settings resolve to.

use super::model::Model;

/// The attribute holding the entity name when `attribute` is not given.
pub const DEFAULT_ENTITY_ATTRIBUTE: &str = "__entity";

/// The attribute holding the schema version when `version_attribute` is not given.
pub const DEFAULT_VERSION_ATTRIBUTE: &str = "__entity_version";

/// A model's entity, its settings resolved.
pub struct Entity {
    /// The entity name stored in each item.
    pub name: String,
    /// The attribute holding it.
    pub attribute: String,
    /// The schema version and the attribute holding it, if declared.
    pub version: Option<(String, u32)>,
    /// Whether items without the attribute are accepted.
    pub accept_missing: bool,
}

impl Entity {
    /// The attributes the entity writes besides the fields.
    pub fn attributes(&self) -> Vec<String> {
        std::iter::once(self.attribute.clone())
            .chain(self.version.iter().map(|(attribute, _)| attribute.clone()))
            .collect()
    }
}

impl Model<'_> {
    /// The model's entity: every model with key templates is one, and every
    /// model with an `entity` setting; plain models are not.
    pub fn entity(&self) -> Option<Entity> {
        let attr = self.attrs.entity.as_ref();
        if attr.is_none() && !self.has_templates() {
            return None;
        }
        let name = attr
            .and_then(|a| a.name.as_ref())
            .map_or_else(|| self.ident.to_string(), syn::LitStr::value);
        let attribute = attr
            .and_then(|a| a.attribute.as_ref())
            .map_or_else(|| DEFAULT_ENTITY_ATTRIBUTE.to_owned(), syn::LitStr::value);
        let version = attr.and_then(|a| {
            let value = a.version.as_ref()?.base10_parse::<u32>().ok()?;
            let attribute = a
                .version_attribute
                .as_ref()
                .map_or_else(|| DEFAULT_VERSION_ATTRIBUTE.to_owned(), syn::LitStr::value);
            Some((attribute, value))
        });
        Some(Entity {
            name,
            attribute,
            version,
            accept_missing: attr.is_some_and(|a| a.accept_missing.is_some()),
        })
    }
}
