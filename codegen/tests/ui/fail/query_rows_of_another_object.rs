// Rows of a select from Account do not decode as Contacts.
use sfgen_generated::{Account, Contact};
use sfgen_runtime::soql::Select;
use sfgen_runtime::Client;

fn contacts(client: &Client) {
    let _ = client.query::<Contact>(Select::from::<Account>());
}

fn main() {}
