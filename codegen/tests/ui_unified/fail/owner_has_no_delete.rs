// Owner (User) is read-only: it has no `create`, `update` or `delete`.
use sfgen_generated::unified::Salesforce;
use sfgen_runtime::Client;

fn write(client: &Client, id: &str) {
    let owners = client.crm::<Salesforce>().owners();
    let _ = owners.delete(id);
}

fn main() {}
