// A child subquery nests rows of the child object: Account.Contacts holds
// Contacts, so a list of Opportunity rows does not fit it.
use sfgen_generated::account::children;
use sfgen_generated::{opportunity, Account, Opportunity};
use sfgen_runtime::query::ChildRows;

sfgen_runtime::projection! {
    pub struct DealRow from Opportunity {
        pub name: String = opportunity::columns::NAME,
    }
}

sfgen_runtime::projection! {
    pub struct Row from Account {
        pub contacts: ChildRows<DealRow> = children::CONTACTS,
    }
}

fn main() {}
