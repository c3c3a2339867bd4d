// Salesforce requires Name, StageName and CloseDate for an Opportunity: a unified
// deal cannot be built without the close date.
use sfgen_runtime::unified::NewDeal;

fn main() {
    let _deal = NewDeal::new("Acme Corp", "Prospecting");
}
