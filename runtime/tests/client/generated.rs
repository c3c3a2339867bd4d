//! Typed CRUD with the committed generated bindings, on each default object.

use chrono::NaiveDate;
use futures::TryStreamExt;
use sfgen_generated::account::AccountIndustry;
use sfgen_generated::opportunity::OpportunityStageName;
use sfgen_generated::{
    Account, AccountRequired, AccountUpdate, Campaign, CampaignRequired, Case, Contact,
    ContactRequired, Event, Lead, LeadRequired, NewAccount, NewCampaign, NewCase, NewContact,
    NewEvent, NewLead, NewNote, NewOpportunity, NewOpportunityContactRole, NewTask, Note,
    NoteRequired, Opportunity, OpportunityContactRole, OpportunityContactRoleRequired,
    OpportunityRequired, OpportunityStage, Task, User,
};
use sfgen_runtime::soql::{Condition, Select};
use sfgen_runtime::{Client, CreateRecord, Field, Id, SObject};

use crate::common::{org, token_client};

/// Creates, reads back and deletes one record of `N::Object`, then creates a
/// second one (returned, for references). Read failures are collected in
/// `problems`, so one run reports every object that does not round-trip.
async fn round_trip<N: CreateRecord>(
    client: &Client,
    problems: &mut Vec<String>,
    make: impl Fn() -> N,
) -> Id<N::Object> {
    let object = N::Object::API_NAME;
    let id = client
        .create(&make())
        .await
        .unwrap_or_else(|e| panic!("{object}: {e}"));
    if let Err(e) = client.get(id).await {
        problems.push(format!("get {object}: {e}"));
    }
    client
        .delete(id)
        .await
        .unwrap_or_else(|e| panic!("{object}: {e}"));
    assert!(
        client.get_value(object, id.untyped(), None).await.is_err(),
        "{object} is deleted"
    );
    client
        .create(&make())
        .await
        .unwrap_or_else(|e| panic!("{object}: {e}"))
}

/// Queries every record of `T` with its generated field list.
async fn read_all<T: SObject>(client: &Client, problems: &mut Vec<String>) -> usize {
    match client
        .query::<T>(Select::from::<T>())
        .try_collect::<Vec<_>>()
        .await
    {
        Ok(records) => records.len(),
        Err(e) => {
            problems.push(format!("query {}: {e}", T::API_NAME));
            0
        }
    }
}

#[tokio::test]
async fn create_get_delete_every_default_object() {
    let org = org().await;
    let client = token_client(&org).await;
    let mut problems = Vec::new();
    let p = &mut problems;

    let account = round_trip(&client, p, || {
        NewAccount::new(AccountRequired {
            name: "Generated Inc".into(),
        })
        .with_industry(AccountIndustry::Energy)
    })
    .await;
    let contact = round_trip(&client, p, || {
        NewContact::new(ContactRequired {
            last_name: "Lovelace".into(),
        })
        .with_first_name("Ada")
        .with_account_id(account)
    })
    .await;
    round_trip(&client, p, || {
        NewLead::new(LeadRequired {
            last_name: "Hopper".into(),
            company: "Navy".into(),
        })
    })
    .await;
    let close = NaiveDate::from_ymd_opt(2030, 1, 31).expect("a date");
    let opportunity = round_trip(&client, p, || {
        NewOpportunity::new(OpportunityRequired {
            name: "Big deal".into(),
            stage_name: OpportunityStageName::Prospecting,
            close_date: close,
        })
        .with_account_id(account)
    })
    .await;
    round_trip(&client, p, || {
        NewOpportunityContactRole::new(OpportunityContactRoleRequired {
            opportunity_id: opportunity,
            contact_id: contact,
        })
    })
    .await;
    round_trip(&client, p, || {
        NewCampaign::new(CampaignRequired {
            name: "Spring".into(),
        })
    })
    .await;
    round_trip(&client, p, || NewCase::new().with_subject("Broken")).await;
    round_trip(&client, p, || {
        NewTask::new().with_subject("Call").with_who_id(contact)
    })
    .await;
    round_trip(&client, p, || {
        NewEvent::new()
            .with_subject("Meeting")
            .with_what_id(account)
    })
    .await;
    round_trip(&client, p, || {
        NewNote::new(NoteRequired {
            parent_id: account.untyped(),
            title: "Minutes".into(),
        })
    })
    .await;

    // Every object, read back through a query of its generated field list
    // (User and OpportunityStage are not created here, only read).
    let counts = [
        read_all::<Account>(&client, p).await,
        read_all::<Contact>(&client, p).await,
        read_all::<Lead>(&client, p).await,
        read_all::<Opportunity>(&client, p).await,
        read_all::<OpportunityContactRole>(&client, p).await,
        read_all::<Campaign>(&client, p).await,
        read_all::<Case>(&client, p).await,
        read_all::<Task>(&client, p).await,
        read_all::<Event>(&client, p).await,
        read_all::<Note>(&client, p).await,
        read_all::<User>(&client, p).await,
    ];
    read_all::<OpportunityStage>(&client, p).await;
    assert!(
        problems.is_empty(),
        "records that do not round-trip:\n{}",
        problems.join("\n")
    );
    assert!(counts.iter().all(|&n| n >= 1), "{counts:?}");
}

#[tokio::test]
async fn generated_updates_keep_unset_null_and_value_apart() {
    let org = org().await;
    let client = token_client(&org).await;
    let id = client
        .create(
            &NewAccount::new(AccountRequired {
                name: "Old Inc".into(),
            })
            .with_website("https://old.example")
            .with_description("Kept"),
        )
        .await
        .expect("creates");
    let changes = AccountUpdate {
        // `Name` cannot be null: its update field is an `Option` (set or leave).
        name: Some("Renamed Inc".into()),
        website: Field::Null,
        phone: Field::Value("+33 1 23 45 67 89".into()),
        ..Default::default()
    };
    client.update(id, &changes).await.expect("updates");
    let account: Account = client.get(id).await.expect("reads");
    assert_eq!(account.description.as_deref(), Some("Kept"), "unset: kept");
    assert_eq!(account.website, None, "null: cleared");
    assert_eq!(
        account.phone.as_deref(),
        Some("+33 1 23 45 67 89"),
        "value: set"
    );
    assert_eq!(account.name, "Renamed Inc");

    let found: Vec<Account> = client
        .query(Select::from::<Account>().filter(Condition::eq(
            sfgen_generated::account::fields::NAME,
            "Renamed Inc",
        )))
        .try_collect()
        .await
        .expect("queries");
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].id, id);
}
