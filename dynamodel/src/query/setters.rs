//! The setters every read builder shares (queries, scans and collection
//! queries), written once: each builder holds its engine [`Spec`] in a
//! field `spec`, and `spec_setters!(Anchor)` adds them to its `impl`
//! (`Anchor` is the model the spec is typed by).
//!
//! [`Spec`]: super::read::Spec

/// `limit`, `consistent`, `start_from` and `strict` for a builder whose
/// `spec` field is a `Spec<$anchor>`.
macro_rules! spec_setters {
    ($anchor:ty) => {
        /// Evaluates at most `n` items per request (DynamoDB's `Limit`: counted
        /// before the filter). With `.page()` this is the page size.
        pub fn limit(mut self, n: u32) -> Self {
            if n == 0 {
                self.spec
                    .defer(Spec::<$anchor>::invalid("`limit` must be at least 1"));
            }
            self.spec.limit = Some(i32::try_from(n).unwrap_or(i32::MAX));
            self
        }

        /// Asks for strongly consistent reads (not available on global secondary indexes).
        pub fn consistent(mut self) -> Self {
            self.spec.consistent = true;
            self
        }

        /// Resumes after the position `cursor` (from [`Page::cursor`]) marks.
        /// The cursor must come from the same kind of read (model or
        /// collection, table, index, partition, sort direction and sort-key
        /// condition; the filter may differ); anything else is refused with
        /// [`Error::InvalidCursor`].
        pub fn start_from(mut self, cursor: impl Into<String>) -> Self {
            self.spec.start = Some(cursor.into());
            self
        }

        /// Fails a read on the first item that does not decode (for a
        /// collection query with `.report_unlisted()`, also on an item of an
        /// unlisted entity), with that item's error. By default `.page()` and
        /// `.fill(n)` return the good items with one error per bad item in
        /// [`Page::errors`] (and the cursor), and `.stream()` yields an `Err`
        /// per bad item and goes on; strict, a stream ends after its first
        /// error. `.all()` and `.all_max(n)` fail on the first bad item
        /// either way.
        pub fn strict(mut self) -> Self {
            self.spec.strict = true;
            self
        }
    };
}

pub(super) use spec_setters;
