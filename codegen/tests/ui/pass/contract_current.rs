// The contract this runtime implements is accepted.
sfgen_runtime::require_contract!(1, "0.1.0");

fn main() {
    assert_eq!(sfgen_runtime::CONTRACT_VERSION, 1);
}
