// Pipeline (OpportunityStage) is read-only: it has no `create`.
use sfgen_generated::unified::Salesforce;
use sfgen_runtime::Client;

fn write(client: &Client) {
    let _ = client.crm::<Salesforce>().pipelines().create(());
}

fn main() {}
