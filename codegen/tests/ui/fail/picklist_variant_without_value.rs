// A hand-written picklist names each variant's API value; one without fails
// with an error naming the variant, not a type error from the expansion.
#[sfgen_runtime::picklist]
pub enum Rating {
    Hot = "Hot",
    Warm,
}

fn main() {}
