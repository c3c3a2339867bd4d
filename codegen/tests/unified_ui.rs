//! Compile-time guarantees of the unified model (trybuild): a unified create form
//! cannot leave out what Salesforce requires, and read-only resources have no
//! write operations. The pass case builds every create form the intended way.

#[test]
fn unified_compile_checks() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui_unified/fail/*.rs");
    t.pass("tests/ui_unified/pass/*.rs");
}
