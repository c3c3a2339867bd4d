//! `cargo run --bin unified`: the first page of contacts through the unified CRM model.

use sfgen_runtime::{Client, Credentials};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let client = Client::connect(Credentials::from_env()?).await?;
    for name in example_service::unified_contact_names(&client).await? {
        println!("{name}");
    }
    Ok(())
}
