//! What a service does with its generated bindings, one function per task.
//! The binaries in `src/bin/` run them against the org in `SF_INSTANCE_URL` /
//! `SF_ACCESS_TOKEN`; `tests/against_fake_org.rs` runs them against the fake org.

use anyhow::Context as _;
use example_salesforce::unified::Salesforce;
use example_salesforce::{
    account, contact, Account, AccountRequired, Contact, ContactRequired, ContactUpdate,
    NewAccount, NewContact,
};
use futures::TryStreamExt as _;
use sfgen_runtime::batch::{PathChoice, WriteOptions};
use sfgen_runtime::chrono::NaiveDate;
use sfgen_runtime::soql::{Condition, Select};
use sfgen_runtime::unified::ListOptions;
use sfgen_runtime::{Client, Field, Id};

/// Create with the required-fields constructor, read, update with a null,
/// return the record as JSON, delete.
pub async fn crud(client: &Client) -> anyhow::Result<serde_json::Value> {
    let account = NewAccount::new(AccountRequired {
        name: "Analytical Engines".into(),
    })
    .with_phone("+44 20 7946 0000");
    let account_id = client
        .create(&account)
        .await
        .context("creating the account")?;

    let birthdate = NaiveDate::from_ymd_opt(1815, 12, 10).context("a valid date")?;
    let new = NewContact::new(ContactRequired {
        last_name: "Lovelace".into(),
    })
    .with_first_name("Ada")
    .with_account_id(account_id)
    .with_phone("+44 20 7946 0001")
    .with_birthdate(birthdate);
    let id = client.create(&new).await.context("creating the contact")?;

    let clear_phone = ContactUpdate {
        phone: Field::Null,
        ..ContactUpdate::default()
    };
    client
        .update(id, &clear_phone)
        .await
        .context("clearing the phone")?;

    let read: Contact = client.get(id).await.context("reading the contact")?;
    let json = serde_json::to_value(&read).context("the contact as JSON")?;

    client.delete(id).await.context("deleting the contact")?;
    client
        .delete(account_id)
        .await
        .context("deleting the account")?;
    Ok(json)
}

/// A typed query: the accounts with this name, every generated field.
pub async fn accounts_named(client: &Client, name: &str) -> anyhow::Result<Vec<Account>> {
    let select = Select::from::<Account>().filter(Condition::eq(account::fields::NAME, name));
    client
        .query::<Account>(select)
        .try_collect()
        .await
        .context("querying accounts")
}

/// Creates `count` contacts through Bulk API 2.0 and returns their ids.
pub async fn bulk_create_contacts(
    client: &Client,
    count: usize,
) -> anyhow::Result<Vec<Id<Contact>>> {
    let records: Vec<NewContact> = (0..count)
        .map(|i| {
            NewContact::new(ContactRequired {
                last_name: format!("Bulk {i}"),
            })
        })
        .collect();
    let options = WriteOptions {
        path: PathChoice::Bulk,
        ..WriteOptions::default()
    };
    let report = client
        .create_all(&records, &options)
        .await
        .context("the Bulk insert")?;
    let mut ids = Vec::with_capacity(count);
    for (i, result) in report.results.into_iter().enumerate() {
        ids.push(result.map_err(|e| anyhow::anyhow!("record {i}: {e}"))?.id);
    }
    Ok(ids)
}

/// The contacts' last names through the unified CRM model.
pub async fn unified_contact_names(client: &Client) -> anyhow::Result<Vec<String>> {
    let page = client
        .crm::<Salesforce>()
        .contacts()
        .list(ListOptions::default())
        .await
        .context("listing unified contacts")?;
    Ok(page.items.into_iter().filter_map(|c| c.last_name).collect())
}

/// The field the update cleared, by its generated API name.
pub const CLEARED_FIELD: &str = contact::fields::PHONE;
