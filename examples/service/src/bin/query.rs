//! `cargo run --bin query -- NAME`: the accounts with this name, typed.

use sfgen_runtime::{Client, Credentials};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let name = std::env::args()
        .nth(1)
        .ok_or_else(|| anyhow::anyhow!("usage: query NAME"))?;
    let client = Client::connect(Credentials::from_env()?).await?;
    for account in example_service::accounts_named(&client, &name).await? {
        println!("{} {}", account.id, account.name);
    }
    Ok(())
}
