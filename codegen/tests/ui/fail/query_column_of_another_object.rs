// A condition on an Account column does not go into a select from Contact.
use sfgen_generated::{account, Contact};
use sfgen_runtime::soql::Select;

fn main() {
    let _ = Select::from::<Contact>().filter(account::columns::NAME.eq("Acme"));
}
