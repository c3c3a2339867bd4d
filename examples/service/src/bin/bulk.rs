//! `cargo run --bin bulk -- COUNT`: inserts COUNT contacts through Bulk API 2.0.

use sfgen_runtime::{Client, Credentials};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let count: usize = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "10".to_owned())
        .parse()?;
    let client = Client::connect(Credentials::from_env()?).await?;
    let ids = example_service::bulk_create_contacts(&client, count).await?;
    println!("created {} contacts", ids.len());
    Ok(())
}
