// Salesforce requires LastName for a Contact: a struct literal without
// `last_name` does not compile (and there is no `Default` to fill it).
use sfgen_runtime::unified::{Custom, NewContact};

fn main() {
    let _contact = NewContact {
        first_name: Some("Ada".into()),
        emails: Vec::new(),
        phones: Vec::new(),
        title: None,
        department: None,
        company_id: None,
        owner_id: None,
        address: None,
        description: None,
        birthday: None,
        custom: Custom::new(),
    };
}
