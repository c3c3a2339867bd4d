// Salesforce requires LastName and Company for a Lead.
use sfgen_runtime::unified::NewLead;

fn main() {
    let _lead = NewLead::new("Hopper");
}
