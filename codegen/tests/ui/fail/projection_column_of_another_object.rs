// A projection from Contact reads only Contact's columns.
use sfgen_generated::{account, Contact};

sfgen_runtime::projection! {
    pub struct Row from Contact {
        pub name: String = account::columns::NAME,
    }
}

fn main() {}
