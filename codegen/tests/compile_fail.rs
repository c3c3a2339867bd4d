//! What rustc must reject and accept in the committed generated crate.

#[test]
fn create_forms_are_checked_by_rustc() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/ui/fail/*.rs");
    cases.pass("tests/ui/pass/*.rs");
}
