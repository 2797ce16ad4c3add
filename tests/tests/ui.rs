//! Compile-fail tests: each mistake a user can make in `#[derive(Model)]`
//! must be a compile error with a message that says what to do. The
//! expected messages are the `.stderr` files beside each case.

#[test]
fn derive_mistakes_are_compile_errors() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("ui/*/*.rs");
    cases.pass("ui-pass/*.rs");
}
