//! How a [`Db`](crate::Db) turns a model's table name into the name it sends:
//! a name bound at run time is used exactly as given; any other table gets
//! the handle's prefix and suffix around the name its model declares.
//!
//! The bindings are keyed by the declared (logical) table name, so binding
//! one model moves every model stored in that table, and a table definition
//! and its models always resolve to the same physical table.

use std::collections::HashMap;
use std::sync::Arc;

/// The naming rules of one [`Db`](crate::Db); shared by its clones.
#[derive(Clone, Debug, Default)]
pub(crate) struct TableNames {
    prefix: Arc<str>,
    suffix: Arc<str>,
    bound: Arc<HashMap<Box<str>, Arc<str>>>,
}

impl TableNames {
    pub fn set_prefix(&mut self, prefix: String) {
        self.prefix = Arc::from(prefix);
    }

    pub fn set_suffix(&mut self, suffix: String) {
        self.suffix = Arc::from(suffix);
    }

    /// Binds the table declared as `logical` to `physical`, used as is.
    pub fn bind(&mut self, logical: &str, physical: String) {
        Arc::make_mut(&mut self.bound).insert(Box::from(logical), Arc::from(physical));
    }

    /// Whether `other` is a clone of these rules (not merely equal ones):
    /// then it resolves every table to the same name, so a name resolved
    /// with one can be reused for the other without resolving it again.
    pub fn same_rules(&self, other: &TableNames) -> bool {
        Arc::ptr_eq(&self.prefix, &other.prefix)
            && Arc::ptr_eq(&self.suffix, &other.suffix)
            && Arc::ptr_eq(&self.bound, &other.bound)
    }

    /// The name sent for the table declared as `logical`.
    pub fn resolve(&self, logical: &str) -> String {
        match self.bound.get(logical) {
            Some(bound) => String::from(&**bound),
            None => {
                let mut name =
                    String::with_capacity(self.prefix.len() + logical.len() + self.suffix.len());
                name.push_str(&self.prefix);
                name.push_str(logical);
                name.push_str(&self.suffix);
                name
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::TableNames;

    #[test]
    fn prefix_and_suffix_wrap_unbound_names() {
        let mut names = TableNames::default();
        assert_eq!(names.resolve("users"), "users");
        names.set_prefix("app-".into());
        names.set_suffix("-dev".into());
        assert_eq!(names.resolve("users"), "app-users-dev");
    }

    #[test]
    fn a_bound_name_is_used_exactly_and_only_for_its_table() {
        let mut names = TableNames::default();
        names.set_prefix("app-".into());
        names.set_suffix("-dev".into());
        names.bind("users", "legacy_users".into());
        assert_eq!(names.resolve("users"), "legacy_users");
        assert_eq!(names.resolve("orders"), "app-orders-dev");
        let before = names.clone();
        names.bind("orders", "o".into());
        assert_eq!(before.resolve("orders"), "app-orders-dev");
        assert_eq!(names.resolve("orders"), "o");
    }

    #[test]
    fn only_clones_of_the_same_rules_are_the_same_rules() {
        let mut names = TableNames::default();
        names.set_prefix("app-".into());
        let clone = names.clone();
        assert!(names.same_rules(&clone));
        assert!(clone.same_rules(&names));
        // Equal but separately made rules are not taken for the same.
        let mut equal = TableNames::default();
        equal.set_prefix("app-".into());
        assert!(!names.same_rules(&equal));
        // Changing any rule of a clone makes it other rules.
        let mut prefixed = clone.clone();
        prefixed.set_prefix("other-".into());
        assert!(!names.same_rules(&prefixed));
        let mut suffixed = clone.clone();
        suffixed.set_suffix("-dev".into());
        assert!(!names.same_rules(&suffixed));
        let mut bound = clone.clone();
        bound.bind("users", "legacy".into());
        assert!(!names.same_rules(&bound));
        assert!(names.same_rules(&clone), "the clone itself is unchanged");
    }
}
