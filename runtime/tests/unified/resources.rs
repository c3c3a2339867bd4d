//! Round trips, one per writable resource: unified create → the Salesforce record
//! has the right fields → unified read gives back the same values → update →
//! delete.

use std::str::FromStr;

use rust_decimal::Decimal;
use serde_json::json;
use sfgen_runtime::unified::{
    Address, Company, CompanyUpdate, ContactUpdate, CrmError, Custom, DealUpdate, Email, EmailType,
    LeadUpdate, MappingError, MeetingUpdate, NewCompany, NewContact, NewDeal, NewLead, NewMeeting,
    NewNote, NewTask, NoteUpdate, Phone, PhoneType, TaskPriority, TaskStatus, TaskUpdate,
};
use sfgen_runtime::{Field, RecordId};

use crate::common::{at, client, crm, date, org, raw};

fn address(city: &str) -> Address {
    Address {
        street: Some("1 Main St".into()),
        city: Some(city.into()),
        state: Some("CA".into()),
        postal_code: Some("94105".into()),
        country: Some("US".into()),
    }
}

/// A company to point other records at.
async fn company(
    crm: &sfgen_runtime::unified::Crm<sfgen_generated::unified::Salesforce>,
    name: &str,
) -> String {
    crm.companies()
        .create(NewCompany::new(name))
        .await
        .expect("the company is created")
}

#[tokio::test]
async fn contact_round_trip() {
    let org = org().await;
    let client = client(&org).await;
    let crm = crm(&client);
    let company_id = company(&crm, "Analytical Engines").await;

    let mut new = NewContact::new("Lovelace");
    new.first_name = Some("Ada".into());
    new.emails = vec![Email::new("ada@example.com", EmailType::Work)];
    new.phones = vec![
        Phone::new("+1 555 0100", PhoneType::Work),
        Phone {
            number: "+1 555 0101".into(),
            kind: None,
        },
        Phone::new("+1 555 0102", PhoneType::Mobile),
    ];
    new.title = Some("Analyst".into());
    new.department = Some("Engines".into());
    new.company_id = Some(company_id.clone());
    new.owner_id = Some(org.user_id());
    new.address = Some(address("San Francisco"));
    new.description = Some("First programmer".into());
    new.birthday = Some(date(1815, 12, 10));
    new.custom.insert("assistantName".into(), json!("Charles"));
    let contact_id = crm
        .contacts()
        .create(new)
        .await
        .expect("the contact is created");

    let record = raw(&client, "Contact", &contact_id).await;
    assert_eq!(record["LastName"], "Lovelace");
    assert_eq!(record["FirstName"], "Ada");
    assert_eq!(record["Email"], "ada@example.com");
    assert_eq!(record["Phone"], "+1 555 0100");
    assert_eq!(record["MobilePhone"], "+1 555 0102");
    assert_eq!(
        record["HomePhone"], "+1 555 0101",
        "an untyped phone takes the first free slot"
    );
    assert_eq!(record["Fax"], json!(null));
    assert_eq!(record["Title"], "Analyst");
    assert_eq!(record["Department"], "Engines");
    assert_eq!(record["AccountId"], json!(company_id));
    assert_eq!(record["OwnerId"], json!(org.user_id()));
    assert_eq!(record["MailingStreet"], "1 Main St");
    assert_eq!(record["MailingCity"], "San Francisco");
    assert_eq!(record["MailingPostalCode"], "94105");
    assert_eq!(record["MailingCountry"], "US");
    assert_eq!(record["Birthdate"], "1815-12-10");
    assert_eq!(record["AssistantName"], "Charles");

    let read = crm
        .contacts()
        .get(&contact_id)
        .await
        .expect("the contact reads");
    assert_eq!(read.id, contact_id);
    assert_eq!(read.first_name.as_deref(), Some("Ada"));
    assert_eq!(read.last_name.as_deref(), Some("Lovelace"));
    assert_eq!(
        read.emails,
        [Email::new("ada@example.com", EmailType::Work)]
    );
    assert_eq!(
        read.phones,
        [
            Phone::new("+1 555 0100", PhoneType::Work),
            Phone::new("+1 555 0102", PhoneType::Mobile),
            Phone::new("+1 555 0101", PhoneType::Home),
        ]
    );
    assert_eq!(read.company_id.as_deref(), Some(company_id.as_str()));
    assert_eq!(read.owner_id, Some(org.user_id()));
    assert_eq!(read.address, Some(address("San Francisco")));
    assert_eq!(read.birthday, Some(date(1815, 12, 10)));
    assert_eq!(read.custom.get("assistantName"), Some(&json!("Charles")));
    assert!(read.created_at.is_some() && read.updated_at.is_some());

    let mut changes = ContactUpdate {
        title: Field::Null,
        phones: Field::Value(vec![Phone::new("+44 20", PhoneType::Fax)]),
        ..ContactUpdate::default()
    };
    changes
        .custom
        .insert("assistantName".into(), serde_json::Value::Null);
    crm.contacts()
        .update(&contact_id, changes)
        .await
        .expect("the update applies");
    let record = raw(&client, "Contact", &contact_id).await;
    assert_eq!(record["Title"], json!(null), "null clears");
    assert_eq!(record["Department"], "Engines", "unset leaves alone");
    assert_eq!(
        (&record["Phone"], &record["MobilePhone"], &record["Fax"]),
        (&json!(null), &json!(null), &json!("+44 20")),
        "a new list replaces every slot"
    );
    assert_eq!(record["AssistantName"], json!(null));
    let read = crm
        .contacts()
        .get(&contact_id)
        .await
        .expect("the contact reads");
    assert_eq!(read.phones, [Phone::new("+44 20", PhoneType::Fax)]);
    assert!(read
        .custom
        .get("assistantName")
        .is_some_and(serde_json::Value::is_null));

    let cleared = ContactUpdate {
        last_name: Field::Null,
        ..ContactUpdate::default()
    };
    let err = crm
        .contacts()
        .update(&contact_id, cleared)
        .await
        .expect_err("LastName cannot be cleared");
    assert!(
        matches!(
            err,
            CrmError::Mapping(MappingError::NotNullable {
                field: "lastName",
                sf_field: "LastName"
            })
        ),
        "{err}"
    );

    crm.contacts()
        .delete(&contact_id)
        .await
        .expect("the contact is deleted");
    assert!(
        crm.contacts().get(&contact_id).await.is_err(),
        "a deleted contact does not read"
    );
}

#[tokio::test]
async fn lead_round_trip() {
    let org = org().await;
    let client = client(&org).await;
    let crm = crm(&client);

    let mut new = NewLead::new("Hopper", "US Navy");
    new.first_name = Some("Grace".into());
    new.emails = vec![Email {
        address: "grace@navy.mil".into(),
        kind: None,
    }];
    new.phones = vec![
        Phone::new("555-1", PhoneType::Work),
        Phone::new("555-2", PhoneType::Fax),
    ];
    new.status = Some("Working - Contacted".into());
    new.source = Some("Web".into());
    new.industry = Some("Government".into());
    new.website = Some("https://navy.mil".into());
    new.address = Some(address("Arlington"));
    let lead_id = crm.leads().create(new).await.expect("the lead is created");

    let record = raw(&client, "Lead", &lead_id).await;
    assert_eq!(
        (&record["LastName"], &record["Company"]),
        (&json!("Hopper"), &json!("US Navy"))
    );
    assert_eq!(record["Status"], "Working - Contacted");
    assert_eq!(record["LeadSource"], "Web");
    assert_eq!(record["Industry"], "Government");
    assert_eq!(record["Email"], "grace@navy.mil");
    assert_eq!(
        (&record["Phone"], &record["Fax"], &record["MobilePhone"]),
        (&json!("555-1"), &json!("555-2"), &json!(null))
    );
    assert_eq!(record["City"], "Arlington");

    let read = crm.leads().get(&lead_id).await.expect("the lead reads");
    assert_eq!(read.company.as_deref(), Some("US Navy"));
    assert_eq!(read.emails, [Email::new("grace@navy.mil", EmailType::Work)]);
    assert_eq!(
        read.phones,
        [
            Phone::new("555-1", PhoneType::Work),
            Phone::new("555-2", PhoneType::Fax)
        ]
    );
    assert_eq!(read.status.as_deref(), Some("Working - Contacted"));
    assert_eq!(read.source.as_deref(), Some("Web"));
    assert_eq!(read.website.as_deref(), Some("https://navy.mil"));
    assert_eq!(read.address, Some(address("Arlington")));
    assert_eq!(read.is_converted, Some(false));
    assert_eq!(read.converted_contact_id, None);

    let changes = LeadUpdate {
        status: Field::Value("Closed - Not Converted".into()),
        website: Field::Null,
        ..LeadUpdate::default()
    };
    crm.leads()
        .update(&lead_id, changes)
        .await
        .expect("the update applies");
    let read = crm.leads().get(&lead_id).await.expect("the lead reads");
    assert_eq!(read.status.as_deref(), Some("Closed - Not Converted"));
    assert_eq!(read.website, None);
    assert_eq!(read.first_name.as_deref(), Some("Grace"));
    crm.leads()
        .delete(&lead_id)
        .await
        .expect("the lead is deleted");
}

#[tokio::test]
async fn deal_round_trip() {
    let org = org().await;
    let client = client(&org).await;
    let crm = crm(&client);
    let company_id = company(&crm, "Acme Corp").await;

    let mut new = NewDeal::new("Acme Corp", "Prospecting", date(2026, 6, 30));
    new.amount = Some(Decimal::from_str("50000.50").expect("a decimal"));
    new.probability = Some(10.0);
    new.company_id = Some(company_id.clone());
    new.description = Some("Seed deal".into());
    new.source = Some("Partner Referral".into());
    let deal_id = crm
        .deals()
        .create(new.clone())
        .await
        .expect("the deal is created");

    let record = raw(&client, "Opportunity", &deal_id).await;
    assert_eq!(record["Name"], "Acme Corp");
    assert_eq!(record["StageName"], "Prospecting");
    assert_eq!(record["CloseDate"], "2026-06-30");
    assert_eq!(record["Amount"].as_f64(), Some(50000.5));
    assert_eq!(record["Probability"].as_f64(), Some(10.0));
    assert_eq!(record["AccountId"], json!(company_id));
    assert_eq!(record["LeadSource"], "Partner Referral");

    let read = crm.deals().get(&deal_id).await.expect("the deal reads");
    assert_eq!(read.name.as_deref(), Some("Acme Corp"));
    assert_eq!(read.stage.as_deref(), Some("Prospecting"));
    assert_eq!(read.close_date, Some(date(2026, 6, 30)));
    assert_eq!(read.amount, new.amount);
    assert_eq!(read.probability, Some(10.0));
    assert_eq!(read.company_id, Some(company_id));
    assert_eq!(read.source.as_deref(), Some("Partner Referral"));
    assert_eq!(
        read.currency, None,
        "Opportunity has no currency field in the snapshot"
    );

    let mut in_euros = NewDeal::new("Euro deal", "Prospecting", date(2026, 1, 1));
    in_euros.currency = Some("EUR".into());
    let before = org.request_log().len();
    let err = crm
        .deals()
        .create(in_euros)
        .await
        .expect_err("a currency cannot be saved");
    assert!(
        matches!(
            err,
            CrmError::Mapping(MappingError::Unmapped {
                field: "currency",
                ..
            })
        ),
        "{err}"
    );
    assert_eq!(
        org.request_log().len(),
        before,
        "nothing is sent when the form does not map"
    );

    let half = DealUpdate {
        probability: Field::Value(12.5),
        ..DealUpdate::default()
    };
    let err = crm
        .deals()
        .update(&deal_id, half)
        .await
        .expect_err("Probability holds whole percents");
    assert!(
        matches!(
            err,
            CrmError::Mapping(MappingError::OutOfRange {
                field: "probability",
                ..
            })
        ),
        "{err}"
    );

    let changes = DealUpdate {
        stage: Field::Value("Closed Won".into()),
        amount: Field::Null,
        probability: Field::Value(100.0),
        ..DealUpdate::default()
    };
    crm.deals()
        .update(&deal_id, changes)
        .await
        .expect("the update applies");
    let read = crm.deals().get(&deal_id).await.expect("the deal reads");
    assert_eq!(
        (read.stage.as_deref(), read.amount, read.probability),
        (Some("Closed Won"), None, Some(100.0))
    );
    crm.deals()
        .delete(&deal_id)
        .await
        .expect("the deal is deleted");
}

#[tokio::test]
async fn meeting_round_trip() {
    let org = org().await;
    let client = client(&org).await;
    let crm = crm(&client);
    let contact_id = crm
        .contacts()
        .create(NewContact::new("Babbage"))
        .await
        .expect("a contact");
    let deal_id = crm
        .deals()
        .create(NewDeal::new("Engine", "Prospecting", date(2026, 3, 1)))
        .await
        .expect("a deal");

    let mut new = NewMeeting::new("Kick-off", at(2026, 2, 2, 9, 0), at(2026, 2, 2, 10, 30));
    new.location = Some("Room 1".into());
    new.description = Some("Agenda".into());
    new.contact_id = Some(contact_id.clone());
    new.deal_id = Some(deal_id.clone());
    let meeting_id = crm
        .meetings()
        .create(new)
        .await
        .expect("the meeting is created");

    let record = raw(&client, "Event", &meeting_id).await;
    assert_eq!(record["Subject"], "Kick-off");
    assert_eq!(record["StartDateTime"], "2026-02-02T09:00:00.000+0000");
    assert_eq!(record["EndDateTime"], "2026-02-02T10:30:00.000+0000");
    assert_eq!(record["Location"], "Room 1");
    assert_eq!(record["WhoId"], json!(contact_id));
    assert_eq!(record["WhatId"], json!(deal_id));

    let read = crm
        .meetings()
        .get(&meeting_id)
        .await
        .expect("the meeting reads");
    assert_eq!(read.subject.as_deref(), Some("Kick-off"));
    assert_eq!(
        (read.start, read.end),
        (Some(at(2026, 2, 2, 9, 0)), Some(at(2026, 2, 2, 10, 30)))
    );
    assert_eq!(read.location.as_deref(), Some("Room 1"));
    assert_eq!(
        (read.contact_id.as_deref(), read.lead_id.as_deref()),
        (Some(contact_id.as_str()), None)
    );
    assert_eq!(
        (read.company_id.as_deref(), read.deal_id.as_deref()),
        (None, Some(deal_id.as_str()))
    );
    assert!(read.attendee_ids.is_empty());

    let mut both = NewMeeting::new("Both", at(2026, 2, 3, 9, 0), at(2026, 2, 3, 9, 30));
    both.company_id = Some(
        crm.companies()
            .create(NewCompany::new("X"))
            .await
            .expect("a company"),
    );
    both.deal_id = Some(deal_id.clone());
    let err = crm
        .meetings()
        .create(both)
        .await
        .expect_err("WhatId holds one record");
    assert!(
        matches!(
            err,
            CrmError::Mapping(MappingError::Conflict {
                sf_field: "WhatId",
                ..
            })
        ),
        "{err}"
    );
    let mut invited = NewMeeting::new("Invited", at(2026, 2, 3, 9, 0), at(2026, 2, 3, 9, 30));
    invited.attendee_ids = vec![contact_id.clone()];
    let err = crm
        .meetings()
        .create(invited)
        .await
        .expect_err("attendees are unmapped");
    assert!(
        matches!(
            err,
            CrmError::Mapping(MappingError::Unmapped {
                field: "attendeeIds",
                ..
            })
        ),
        "{err}"
    );
    let mut wrong = NewMeeting::new("Wrong", at(2026, 2, 3, 9, 0), at(2026, 2, 3, 9, 30));
    wrong.lead_id = Some(contact_id.clone());
    let err = crm
        .meetings()
        .create(wrong)
        .await
        .expect_err("a contact id is not a lead id");
    assert!(
        matches!(
            err,
            CrmError::Mapping(MappingError::InvalidId {
                field: "leadId",
                ..
            })
        ),
        "{err}"
    );

    let changes = MeetingUpdate {
        deal_id: Field::Null,
        location: Field::Value("Room 2".into()),
        ..MeetingUpdate::default()
    };
    crm.meetings()
        .update(&meeting_id, changes)
        .await
        .expect("the update applies");
    let read = crm
        .meetings()
        .get(&meeting_id)
        .await
        .expect("the meeting reads");
    assert_eq!(
        (read.deal_id, read.location.as_deref()),
        (None, Some("Room 2"))
    );
    assert_eq!(read.contact_id.as_deref(), Some(contact_id.as_str()));
    crm.meetings()
        .delete(&meeting_id)
        .await
        .expect("the meeting is deleted");
}

#[tokio::test]
async fn company_round_trip() {
    let org = org().await;
    let client = client(&org).await;
    let crm = crm(&client);

    let mut new = NewCompany::new("Initech");
    new.industry = Some("Technology".into());
    new.website = Some("https://initech.example".into());
    new.phone = Some("555-0199".into());
    new.employees = Some(250);
    new.annual_revenue = Some(Decimal::from(12_000_000));
    new.address = Some(address("Austin"));
    new.description = Some("TPS reports".into());
    let company_id = crm
        .companies()
        .create(new)
        .await
        .expect("the company is created");

    let record = raw(&client, "Account", &company_id).await;
    assert_eq!(record["Name"], "Initech");
    assert_eq!(record["Industry"], "Technology");
    assert_eq!(record["NumberOfEmployees"].as_f64(), Some(250.0));
    assert_eq!(record["AnnualRevenue"].as_f64(), Some(12_000_000.0));
    assert_eq!(record["BillingCity"], "Austin");
    assert_eq!(record["Website"], "https://initech.example");
    assert_eq!(record["Phone"], "555-0199");

    let read: Company = crm
        .companies()
        .get(&company_id)
        .await
        .expect("the company reads");
    assert_eq!(read.name.as_deref(), Some("Initech"));
    assert_eq!(read.industry.as_deref(), Some("Technology"));
    assert_eq!(read.employees, Some(250));
    assert_eq!(read.annual_revenue, Some(Decimal::from(12_000_000)));
    assert_eq!(read.address, Some(address("Austin")));
    assert_eq!(read.custom, Custom::new());

    let too_many = CompanyUpdate {
        employees: Field::Value(1 << 40),
        ..CompanyUpdate::default()
    };
    let err = crm
        .companies()
        .update(&company_id, too_many)
        .await
        .expect_err("NumberOfEmployees is an int");
    assert!(
        matches!(
            err,
            CrmError::Mapping(MappingError::OutOfRange {
                field: "employees",
                ..
            })
        ),
        "{err}"
    );
    let changes = CompanyUpdate {
        address: Field::Null,
        employees: Field::Value(300),
        ..CompanyUpdate::default()
    };
    crm.companies()
        .update(&company_id, changes)
        .await
        .expect("the update applies");
    let read = crm
        .companies()
        .get(&company_id)
        .await
        .expect("the company reads");
    assert_eq!((read.address, read.employees), (None, Some(300)));
    crm.companies()
        .delete(&company_id)
        .await
        .expect("the company is deleted");
}

#[tokio::test]
async fn note_round_trip() {
    let org = org().await;
    let client = client(&org).await;
    let crm = crm(&client);
    let deal_id = crm
        .deals()
        .create(NewDeal::new("Noted", "Prospecting", date(2026, 5, 5)))
        .await
        .expect("a deal");

    let before = org.request_log().len();
    let err = crm
        .notes()
        .create(NewNote::new("Orphan"))
        .await
        .expect_err("a note needs a parent");
    assert_eq!(err.to_string(), "Note: Salesforce requires one of contactId, companyId, dealId, which the form leaves empty");
    assert_eq!(org.request_log().len(), before, "nothing is sent");

    let mut new = NewNote::new("Call summary");
    new.body = Some("They want a demo.".into());
    new.deal_id = Some(deal_id.clone());
    let note_id = crm.notes().create(new).await.expect("the note is created");

    let record = raw(&client, "Note", &note_id).await;
    assert_eq!(record["Title"], "Call summary");
    assert_eq!(record["Body"], "They want a demo.");
    assert_eq!(record["ParentId"], json!(deal_id));

    let read = crm.notes().get(&note_id).await.expect("the note reads");
    assert_eq!(read.title.as_deref(), Some("Call summary"));
    assert_eq!(
        (read.contact_id, read.company_id, read.deal_id.as_deref()),
        (None, None, Some(deal_id.as_str()))
    );

    crm.notes()
        .update(
            &note_id,
            NoteUpdate {
                body: Field::Null,
                ..NoteUpdate::default()
            },
        )
        .await
        .expect("the update applies");
    let read = crm.notes().get(&note_id).await.expect("the note reads");
    assert_eq!(
        (read.title.as_deref(), read.body),
        (Some("Call summary"), None)
    );
    crm.notes()
        .delete(&note_id)
        .await
        .expect("the note is deleted");
}

#[tokio::test]
async fn task_round_trip() {
    let org = org().await;
    let client = client(&org).await;
    let crm = crm(&client);
    let lead_id = crm
        .leads()
        .create(NewLead::new("Turing", "Bletchley"))
        .await
        .expect("a lead");
    let company_id = company(&crm, "GCHQ").await;

    let mut new = NewTask::new("Follow up");
    new.status = Some(TaskStatus::InProgress);
    new.priority = Some(TaskPriority::High);
    new.due_date = Some(at(2026, 6, 30, 0, 0));
    new.lead_id = Some(lead_id.clone());
    new.company_id = Some(company_id.clone());
    let task_id = crm.tasks().create(new).await.expect("the task is created");

    let record = raw(&client, "Task", &task_id).await;
    assert_eq!(record["Subject"], "Follow up");
    assert_eq!(
        record["Status"], "In Progress",
        "status values are translated"
    );
    assert_eq!(record["Priority"], "High");
    assert_eq!(
        record["ActivityDate"], "2026-06-30",
        "a date-time due date is stored as its date"
    );
    assert_eq!(record["WhoId"], json!(lead_id));
    assert_eq!(record["WhatId"], json!(company_id));

    let read = crm.tasks().get(&task_id).await.expect("the task reads");
    assert_eq!(read.subject.as_deref(), Some("Follow up"));
    assert_eq!(read.status, Some(TaskStatus::InProgress));
    assert_eq!(read.priority, Some(TaskPriority::High));
    assert_eq!(read.due_date, Some(at(2026, 6, 30, 0, 0)));
    assert_eq!(
        (read.contact_id, read.lead_id.as_deref()),
        (None, Some(lead_id.as_str()))
    );
    assert_eq!(
        (read.company_id.as_deref(), read.deal_id),
        (Some(company_id.as_str()), None)
    );

    let changes = TaskUpdate {
        status: Field::Value(TaskStatus::Completed),
        due_date: Field::Null,
        ..TaskUpdate::default()
    };
    crm.tasks()
        .update(&task_id, changes)
        .await
        .expect("the update applies");
    let record = raw(&client, "Task", &task_id).await;
    assert_eq!(
        (&record["Status"], &record["ActivityDate"]),
        (&json!("Completed"), &json!(null))
    );
    let read = crm.tasks().get(&task_id).await.expect("the task reads");
    assert_eq!(
        (read.status, read.due_date),
        (Some(TaskStatus::Completed), None)
    );

    let cleared = TaskUpdate {
        status: Field::Null,
        ..TaskUpdate::default()
    };
    let err = crm
        .tasks()
        .update(&task_id, cleared)
        .await
        .expect_err("Status cannot be cleared");
    assert!(
        matches!(
            err,
            CrmError::Mapping(MappingError::NotNullable {
                field: "status",
                sf_field: "Status"
            })
        ),
        "{err}"
    );

    // A value the unified model does not name passes through as the Salesforce value.
    let other = TaskUpdate {
        status: Field::Value(TaskStatus::Other("Deferred".into())),
        ..TaskUpdate::default()
    };
    crm.tasks()
        .update(&task_id, other)
        .await
        .expect("the update applies");
    assert_eq!(
        crm.tasks().get(&task_id).await.expect("reads").status,
        Some(TaskStatus::Deferred)
    );
    crm.tasks()
        .delete(&task_id)
        .await
        .expect("the task is deleted");
    let err = crm
        .tasks()
        .delete(&lead_id)
        .await
        .expect_err("a lead id is not a task id");
    assert!(
        matches!(
            err,
            CrmError::InvalidId {
                resource: "Task",
                ..
            }
        ),
        "{err}"
    );
    let _ = RecordId::parse(&lead_id).expect("still a valid id");
}
