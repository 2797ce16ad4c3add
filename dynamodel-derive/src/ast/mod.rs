//! Stage 2: the IR of what a derive is given — a [`Model`] or a
//! [`Document`] and their [`Field`]s — built from the syn input and the
//! parsed settings (`attr`).
//!
//! The facts every later stage asks about a field are computed once here:
//! its stored name (after `rename` / `rename_all`), whether it is a key,
//! whether it is stored as an attribute of its own, and its timestamp role.
//! The syn nodes are kept so that checks and generated code point at what
//! the user wrote.

mod collection;
mod document;
mod entity;
mod field;
mod index;
mod model;
mod ty;

pub use collection::Collection;
pub use document::{Document, Shape, Variant};
pub use field::Field;
pub use index::{index_handle_name, index_type_name};
pub use model::Model;
pub use ty::is_vec_u8;
