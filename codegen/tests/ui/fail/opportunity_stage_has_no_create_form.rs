// OpportunityStage's describe says `createable: false` and `updateable: false`:
// Salesforce refuses every insert and update, so the bindings have no create or
// update form for it, and a program that tries one does not compile.
use sfgen_generated::opportunity_stage::{NewOpportunityStage, OpportunityStageUpdate};

fn main() {
    let _create = NewOpportunityStage::new();
    let _update = OpportunityStageUpdate::default();
}
