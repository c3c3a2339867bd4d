// COUNT is a whole number; a row field of another type does not take it.
use sfgen_generated::opportunity::columns;
use sfgen_generated::Opportunity;

sfgen_runtime::projection! {
    pub struct Row from Opportunity {
        pub deals: String = columns::ID.count("deals"),
    }
}

fn main() {}
