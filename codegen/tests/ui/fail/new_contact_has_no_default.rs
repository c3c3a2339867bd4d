// A create form with required fields has no `Default`.
use sfgen_generated::NewContact;

fn main() {
    let _contact = NewContact::default();
}
