// `IS NULL` exists only on nillable columns: LastName is never null.
use sfgen_generated::contact::columns;

fn main() {
    let _ = columns::LAST_NAME.is_null();
}
