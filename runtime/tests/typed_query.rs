//! Typed queries against the fake org: projections select and decode only
//! their fields, typed conditions filter as their SOQL says, and a query whose
//! rows are the object's record still decodes every generated field.

use futures::TryStreamExt as _;
use sfgen_fake_org::FakeOrg;
use sfgen_generated::contact::{columns, parents, ContactLeadSource};
use sfgen_generated::opportunity::{self, OpportunityStageName};
use sfgen_generated::{account, task, user, NewTask, Task, User};
use sfgen_generated::{Account, AccountRequired, Contact, ContactRequired, NewAccount, NewContact};
use sfgen_generated::{NewOpportunity, Opportunity, OpportunityRequired};
use sfgen_runtime::chrono::NaiveDate;
use sfgen_runtime::query::name::{self, Name};
use sfgen_runtime::query::{ChildRows, DateLiteral};
use sfgen_runtime::rust_decimal::Decimal;
use sfgen_runtime::soql::{Like, Order, Select};
use sfgen_runtime::{Client, Credentials, Id, RecordId, Url};

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

sfgen_runtime::projection! {
    /// A contact as its account's row lists it.
    #[derive(Debug, Clone, PartialEq)]
    pub struct ContactName from Contact {
        pub last_name: String = columns::LAST_NAME,
    }
}

sfgen_runtime::projection! {
    /// An account with every contact that points at it.
    #[derive(Debug, Clone, PartialEq)]
    pub struct WithContacts from Account {
        pub name: String = account::columns::NAME,
        pub contacts: ChildRows<ContactName> = account::children::CONTACTS,
    }
}

#[tokio::test]
async fn child_subqueries_come_back_whole_past_their_first_page() {
    use sfgen_runtime::query::Projection as _;
    let org = FakeOrg::builder()
        .start()
        .await
        .expect("the fake org starts");
    let client = client(&org).await;
    assert_eq!(
        WithContacts::fields(),
        ["Name", "(SELECT LastName FROM Contacts)"]
    );
    let big = client
        .create(&NewAccount::new(AccountRequired { name: "Big".into() }))
        .await
        .expect("account");
    client
        .create(&NewAccount::new(AccountRequired {
            name: "Empty".into(),
        }))
        .await
        .expect("account");
    // Salesforce nests 200 children per page; 450 take three.
    let contacts: Vec<NewContact> = (0..450)
        .map(|i| {
            NewContact::new(ContactRequired {
                last_name: format!("Contact {i:03}"),
            })
            .with_account_id(big)
        })
        .collect();
    let report = client.create_many(&contacts).await.expect("contacts");
    assert!(report.all_written(), "{report:?}");

    // The first page as Salesforce sends it: 200 children and a cursor.
    let first: sfgen_runtime::QueryPage<WithContacts> = client
        .query_page(
            Select::from::<Account>()
                .filter(account::columns::NAME.eq("Big"))
                .project::<WithContacts>(),
            Default::default(),
        )
        .await
        .expect("the first page");
    let nested = &first.records[0].contacts;
    assert_eq!((nested.len(), nested.total_size()), (200, 450));
    assert!(!nested.is_complete());

    let rows: Vec<WithContacts> = client
        .query::<WithContacts>(
            Select::from::<Account>()
                .order_by(account::columns::NAME, Order::Asc)
                .project::<WithContacts>(),
        )
        .try_collect()
        .await
        .expect("the subquery");
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0].name, "Big");
    let mut names: Vec<String> = rows[0]
        .contacts
        .iter()
        .map(|c| c.last_name.clone())
        .collect();
    assert_eq!(names.len(), 450, "every page of children is fetched");
    assert!(rows[0].contacts.is_complete());
    names.sort();
    names.dedup();
    assert_eq!(names.len(), 450, "no child twice");
    assert_eq!(rows[1].name, "Empty");
    assert!(
        rows[1].contacts.is_empty(),
        "no children: an empty list, not an error"
    );
    org.shutdown().await;
}

sfgen_runtime::projection! {
    /// What a polymorphic reference points at, through the `Name` entity.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Related from Name {
        pub id: RecordId = name::ID,
        pub kind: String = name::TYPE,
        pub name: Option<String> = name::NAME,
    }
}

sfgen_runtime::projection! {
    /// A task with what and whom it is about.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Todo from Task {
        pub subject: Option<String> = task::columns::SUBJECT,
        pub what: Option<Related> = task::parents::WHAT,
        pub who: Option<Related> = task::parents::WHO,
    }
}

#[tokio::test]
async fn polymorphic_parents_come_back_through_the_name_entity() {
    use sfgen_runtime::query::Projection as _;
    let org = FakeOrg::builder()
        .start()
        .await
        .expect("the fake org starts");
    let client = client(&org).await;
    assert_eq!(
        Todo::fields(),
        [
            "Subject",
            "What.Id",
            "What.Type",
            "What.Name",
            "Who.Id",
            "Who.Type",
            "Who.Name"
        ]
    );
    let account = client
        .create(&NewAccount::new(AccountRequired {
            name: "Engines".into(),
        }))
        .await
        .expect("account");
    let contact = client
        .create(&NewContact::new(ContactRequired {
            last_name: "Lovelace".into(),
        }))
        .await
        .expect("contact");
    client
        .create(
            &NewTask::new()
                .with_subject("Call")
                .with_what_id(account)
                .with_who_id(contact),
        )
        .await
        .expect("task");
    client
        .create(&NewTask::new().with_subject("Alone"))
        .await
        .expect("task");
    let rows: Vec<Todo> = client
        .query::<Todo>(
            Select::from::<Task>()
                .order_by(task::columns::SUBJECT, Order::Desc)
                .project::<Todo>(),
        )
        .try_collect()
        .await
        .expect("the polymorphic query");
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0].subject.as_deref(), Some("Call"));
    let what = rows[0].what.as_ref().expect("what is nested");
    assert_eq!(
        (what.id, what.kind.as_str(), what.name.as_deref()),
        (RecordId::from(account), "Account", Some("Engines"))
    );
    let who = rows[0].who.as_ref().expect("who is nested");
    assert_eq!(
        (who.id, who.kind.as_str()),
        (RecordId::from(contact), "Contact")
    );
    assert_eq!((rows[1].what.as_ref(), rows[1].who.as_ref()), (None, None));
    org.shutdown().await;
}

sfgen_runtime::projection! {
    /// Opportunities per stage, as a pipeline report reads them.
    #[derive(Debug, Clone, PartialEq)]
    pub struct ByStage from Opportunity {
        pub stage: OpportunityStageName = opportunity::columns::STAGE_NAME,
        pub deals: i64 = opportunity::columns::ID.count("deals"),
        pub total: Option<Decimal> = opportunity::columns::AMOUNT.sum("total"),
        pub biggest: Option<Decimal> = opportunity::columns::AMOUNT.max("biggest"),
        pub probability: Option<f64> = opportunity::columns::PROBABILITY.avg("probability"),
    }
}

#[tokio::test]
async fn aggregates_group_filter_and_decode_into_typed_rows() {
    use opportunity::columns;
    use sfgen_runtime::query::Projection as _;
    let org = FakeOrg::builder()
        .start()
        .await
        .expect("the fake org starts");
    let client = client(&org).await;
    let close = date(2026, 12, 31);
    let deals = [
        (OpportunityStageName::Prospecting, Some("100.25"), 10),
        (OpportunityStageName::Prospecting, Some("200.50"), 20),
        (OpportunityStageName::ClosedWon, Some("5000.00"), 100),
        (OpportunityStageName::Qualification, None, 30),
        (OpportunityStageName::Qualification, None, 50),
    ];
    for (i, (stage, amount, probability)) in deals.iter().enumerate() {
        let mut new = NewOpportunity::new(OpportunityRequired {
            close_date: close,
            name: format!("Deal {i}"),
            stage_name: stage.clone(),
        })
        .with_probability(*probability);
        if let Some(amount) = amount {
            new = new.with_amount(amount.parse::<Decimal>().expect("a decimal"));
        }
        client.create(&new).await.expect("opportunity");
    }

    assert_eq!(
        ByStage::fields(),
        [
            "StageName",
            "COUNT(Id) deals",
            "SUM(Amount) total",
            "MAX(Amount) biggest",
            "AVG(Probability) probability"
        ]
    );
    let select = Select::from::<Opportunity>()
        .group_by(columns::STAGE_NAME)
        .having(columns::ID.count("deals").ge(1i64))
        .order_by(columns::ID.count("deals"), Order::Desc)
        .order_by(columns::STAGE_NAME, Order::Asc)
        .project::<ByStage>();
    assert_eq!(
        select.to_string(),
        "SELECT StageName, COUNT(Id) deals, SUM(Amount) total, MAX(Amount) biggest, \
         AVG(Probability) probability FROM Opportunity GROUP BY StageName \
         HAVING COUNT(Id) >= 1 ORDER BY COUNT(Id) DESC, StageName ASC"
    );
    let rows: Vec<ByStage> = client
        .query::<ByStage>(select)
        .try_collect()
        .await
        .expect("the aggregate query");
    let decimal = |text: &str| Some(text.parse::<Decimal>().expect("a decimal"));
    assert_eq!(
        rows,
        [
            ByStage {
                stage: OpportunityStageName::Prospecting,
                deals: 2,
                // The fake org sums in f64 (Salesforce exactly), so these
                // values are ones f64 holds exactly.
                total: decimal("300.75"),
                biggest: decimal("200.50"),
                probability: Some(15.0),
            },
            ByStage {
                stage: OpportunityStageName::Qualification,
                deals: 2,
                total: None,
                biggest: None,
                probability: Some(40.0),
            },
            ByStage {
                stage: OpportunityStageName::ClosedWon,
                deals: 1,
                total: decimal("5000.00"),
                biggest: decimal("5000.00"),
                probability: Some(100.0),
            },
        ]
    );

    // HAVING keeps only the groups it matches.
    let big: Vec<ByStage> = client
        .query::<ByStage>(
            Select::from::<Opportunity>()
                .group_by(columns::STAGE_NAME)
                .having(columns::AMOUNT.sum("total").lt(Decimal::new(1_000, 0)))
                .project::<ByStage>(),
        )
        .try_collect()
        .await
        .expect("the HAVING query");
    assert_eq!(
        big.iter().map(|r| r.stage.clone()).collect::<Vec<_>>(),
        [OpportunityStageName::Prospecting]
    );

    // SELECT COUNT(): a bare count, from totalSize.
    let with_amount = Select::from::<Opportunity>().filter(columns::AMOUNT.is_not_null());
    assert_eq!(
        with_amount.count().as_str(),
        "SELECT COUNT() FROM Opportunity WHERE Amount != null"
    );
    assert_eq!(client.count(&with_amount).await.expect("the count"), 3);
    assert_eq!(
        client
            .count(&Select::from::<Opportunity>())
            .await
            .expect("the count"),
        5
    );
}
