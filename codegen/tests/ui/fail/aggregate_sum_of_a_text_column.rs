// SUM and AVG exist only on numeric columns: Opportunity.Name is text.
use sfgen_generated::opportunity::columns;

fn main() {
    let _ = columns::NAME.sum("total");
}
