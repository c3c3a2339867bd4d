// A projection from Contact follows only Contact's relationships.
use sfgen_generated::{account, Account, Contact};

sfgen_runtime::projection! {
    pub struct ParentRow from Account {
        pub name: String = account::columns::NAME,
    }
}

sfgen_runtime::projection! {
    pub struct Row from Contact {
        pub parent: Option<ParentRow> = account::parents::PARENT,
    }
}

fn main() {}
