//! `cargo run --bin crud`: create, read, update with a null and delete a
//! contact in the org named by `SF_INSTANCE_URL` and `SF_ACCESS_TOKEN`.

use sfgen_runtime::{Client, Credentials};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let client = Client::connect(Credentials::from_env()?).await?;
    let contact = example_service::crud(&client).await?;
    println!("{contact:#}");
    Ok(())
}
