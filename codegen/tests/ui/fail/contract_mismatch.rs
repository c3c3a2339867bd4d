// Bindings generated for another runtime contract fail with one error that
// names both versions, not with dozens of missing items.
sfgen_runtime::require_contract!(2, "9.9.9");

fn main() {}
