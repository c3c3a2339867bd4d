// A create form's fields are private: it cannot be built by a struct literal
// from outside the crate, so `NewContact::new` is the only way in.
use sfgen_generated::NewContact;

fn main() {
    let _contact = NewContact { last_name: String::from("Smith") };
}
