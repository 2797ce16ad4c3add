//! `#[dynamodel(hooks)]`: code run around reads and writes of a model.

use crate::write_kind::WriteKind;

/// An error a hook or a custom function may return.
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// Code run around reads and writes of a model.
///
/// Opt in with `#[dynamodel(hooks)]` on the struct and implement this trait;
/// every method defaults to doing nothing. Without the setting the derive
/// implements it empty (so implementing it by hand without the setting is a
/// compile error rather than hooks that silently never run).
///
/// A hook that returns `Err` stops the operation with [`crate::Error::Hook`];
/// nothing is sent to DynamoDB.
pub trait Hooks {
    /// Runs first on every write (create, put, batch and transaction puts),
    /// on the copy about to be written, before defaults, transforms and validation.
    fn before_save(&mut self, kind: WriteKind) -> Result<(), BoxError> {
        let _ = kind;
        Ok(())
    }

    /// Runs last on every read, after the `get` transforms.
    fn after_load(&mut self) -> Result<(), BoxError> {
        Ok(())
    }
}
