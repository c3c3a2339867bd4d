// A projection field's type must be the column's: Email can be null, so it is
// an `Option<String>`.
use sfgen_generated::contact::columns;
use sfgen_generated::Contact;

sfgen_runtime::projection! {
    pub struct Recipient from Contact {
        pub email: String = columns::EMAIL,
    }
}

fn main() {}
