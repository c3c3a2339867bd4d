// A create form cannot be built without a required field.
use sfgen_generated::{ContactRequired, NewContact};

fn main() {
    let _contact = NewContact::new(ContactRequired {});
}
