// A condition on a date column takes a date (or a date literal), not text.
use sfgen_generated::contact::columns;

fn main() {
    let _ = columns::BIRTHDATE.eq("yesterday");
}
