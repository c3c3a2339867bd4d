//! Typed queries against the fake org: projections select and decode only
//! their fields, typed conditions filter as their SOQL says, and a query whose
//! rows are the object's record still decodes every generated field.

use futures::TryStreamExt as _;
use sfgen_fake_org::FakeOrg;
use sfgen_generated::contact::{columns, parents, ContactLeadSource};
use sfgen_generated::{account, user, User};
use sfgen_generated::{Account, AccountRequired, Contact, ContactRequired, NewAccount, NewContact};
use sfgen_runtime::chrono::NaiveDate;
use sfgen_runtime::query::DateLiteral;
use sfgen_runtime::soql::{Like, Order, Select};
use sfgen_runtime::{Client, Credentials, Id, Url};

sfgen_runtime::projection! {
    /// What a mailing job reads of a contact.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Recipient from Contact {
        pub id: Id<Contact> = columns::ID,
        pub last_name: String = columns::LAST_NAME,
        pub email: Option<String> = columns::EMAIL,
        pub account_id: Option<Id<Account>> = columns::ACCOUNT_ID,
        pub lead_source: Option<ContactLeadSource> = columns::LEAD_SOURCE,
    }
}

sfgen_runtime::projection! {
    /// The owner of an account, as a contact's row reads it.
    #[derive(Debug, Clone, PartialEq)]
    pub struct OwnerRef from User {
        pub email: String = user::columns::EMAIL,
    }
}

sfgen_runtime::projection! {
    /// An account as a contact's row reads it, with its owner nested in turn.
    #[derive(Debug, Clone, PartialEq)]
    pub struct AccountRef from Account {
        pub name: String = account::columns::NAME,
        pub owner: Option<OwnerRef> = account::parents::OWNER,
    }
}

sfgen_runtime::projection! {
    /// A contact with the account it belongs to.
    #[derive(Debug, Clone, PartialEq)]
    pub struct WithAccount from Contact {
        pub last_name: String = columns::LAST_NAME,
        pub account: Option<AccountRef> = parents::ACCOUNT,
    }
}

async fn client(org: &sfgen_fake_org::RunningOrg) -> Client {
    let url = Url::parse(org.instance_url()).expect("the fake org's URL parses");
    Client::connect(Credentials::access_token(url, org.access_token()))
        .await
        .expect("connects")
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a valid date")
}

#[tokio::test]
async fn a_projection_selects_filters_orders_and_decodes_its_fields() {
    let org = FakeOrg::builder()
        .start()
        .await
        .expect("the fake org starts");
    let client = client(&org).await;
    let account = client
        .create(&NewAccount::new(AccountRequired {
            name: "Engines".into(),
        }))
        .await
        .expect("account");
    let people = [
        ("Lovelace", Some("ada@example.com"), date(1815, 12, 10)),
        ("Babbage", None, date(1791, 12, 26)),
        ("Somerville", Some("mary@example.com"), date(1780, 12, 26)),
    ];
    for (last, email, born) in people {
        let mut new = NewContact::new(ContactRequired {
            last_name: last.into(),
        })
        .with_account_id(account)
        .with_birthdate(born)
        .with_lead_source(ContactLeadSource::Web);
        if let Some(email) = email {
            new = new.with_email(email);
        }
        client.create(&new).await.expect("contact");
    }

    let select = Select::from::<Contact>()
        .filter(columns::EMAIL.is_not_null())
        .filter(
            columns::BIRTHDATE
                .gt(date(1790, 1, 1))
                .or(columns::LAST_NAME.like(Like::starts_with("Som"))),
        )
        .order_by(columns::LAST_NAME, Order::Desc)
        .project::<Recipient>();
    let rows: Vec<Recipient> = client
        .query::<Recipient>(select)
        .try_collect()
        .await
        .expect("the projection query");
    let names: Vec<&str> = rows.iter().map(|r| r.last_name.as_str()).collect();
    assert_eq!(names, ["Somerville", "Lovelace"]);
    assert_eq!(rows[1].email.as_deref(), Some("ada@example.com"));
    assert_eq!(rows[1].account_id, Some(account));
    assert_eq!(rows[1].lead_source, Some(ContactLeadSource::Web));

    // The request named exactly the projection's fields.
    let logged = org.request_log();
    let query = logged
        .iter()
        .rev()
        .find(|r| r.path.ends_with("/query"))
        .expect("a logged query");
    let url = Url::parse(&format!(
        "http://x/?{}",
        query.query.as_deref().unwrap_or_default()
    ))
    .expect("the query string parses");
    let soql = url
        .query_pairs()
        .find(|(k, _)| k == "q")
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default();
    assert!(
        soql.starts_with("SELECT Id, LastName, Email, AccountId, LeadSource FROM Contact WHERE "),
        "{soql}"
    );
    org.shutdown().await;
}

#[tokio::test]
async fn typed_rows_of_the_whole_record_and_date_literals() {
    let org = FakeOrg::builder()
        .start()
        .await
        .expect("the fake org starts");
    let client = client(&org).await;
    let id = client
        .create(
            &NewContact::new(ContactRequired {
                last_name: "Hopper".into(),
            })
            .with_birthdate(date(1906, 12, 9)),
        )
        .await
        .expect("contact");
    let all: Vec<Contact> = client
        .query::<Contact>(Select::from::<Contact>().filter(columns::ID.eq(id)))
        .try_collect()
        .await
        .expect("the whole-record query");
    assert_eq!(all.len(), 1);
    assert_eq!(all[0].last_name, "Hopper");
    assert_eq!(all[0].birthdate, Some(date(1906, 12, 9)));

    // Nobody here was born in the last 30 days.
    let recent: Vec<Contact> = client
        .query::<Contact>(
            Select::from::<Contact>().filter(columns::BIRTHDATE.ge(DateLiteral::LastNDays(30))),
        )
        .try_collect()
        .await
        .expect("a date-literal query");
    assert!(recent.is_empty(), "{recent:?}");
    org.shutdown().await;
}

#[tokio::test]
async fn parent_paths_come_back_nested_and_typed() {
    use sfgen_runtime::query::Projection as _;
    let org = FakeOrg::builder()
        .start()
        .await
        .expect("the fake org starts");
    let client = client(&org).await;
    assert_eq!(
        WithAccount::fields(),
        ["LastName", "Account.Name", "Account.Owner.Email"]
    );
    let account = client
        .create(&NewAccount::new(AccountRequired {
            name: "Engines".into(),
        }))
        .await
        .expect("account");
    for (last, account) in [("Lovelace", Some(account)), ("Orphan", None)] {
        let mut new = NewContact::new(ContactRequired {
            last_name: last.into(),
        });
        if let Some(account) = account {
            new = new.with_account_id(account);
        }
        client.create(&new).await.expect("contact");
    }
    let rows: Vec<WithAccount> = client
        .query::<WithAccount>(
            Select::from::<Contact>()
                .order_by(columns::LAST_NAME, Order::Asc)
                .project::<WithAccount>(),
        )
        .try_collect()
        .await
        .expect("the parent-path query");
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0].last_name, "Lovelace");
    let parent = rows[0].account.as_ref().expect("the account is nested");
    assert_eq!(parent.name, "Engines");
    let owner = parent
        .owner
        .as_ref()
        .expect("the account's owner is nested");
    assert!(owner.email.contains('@'), "{owner:?}");
    assert_eq!(rows[1].account, None, "no account: null, not an error");
    org.shutdown().await;
}
