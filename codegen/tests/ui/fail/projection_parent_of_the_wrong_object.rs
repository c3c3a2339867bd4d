// A parent relationship nests a projection of the object it points at:
// Contact.Account is an Account, so a User row does not fit it.
use sfgen_generated::contact::parents;
use sfgen_generated::{user, Contact, User};

sfgen_runtime::projection! {
    pub struct OwnerRow from User {
        pub email: String = user::columns::EMAIL,
    }
}

sfgen_runtime::projection! {
    pub struct Row from Contact {
        pub account: Option<OwnerRow> = parents::ACCOUNT,
    }
}

fn main() {}
