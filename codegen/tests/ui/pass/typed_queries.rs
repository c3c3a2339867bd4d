// Typed conditions, sort keys and a projection render the SOQL they should,
// and a projection decodes the row Salesforce returns for it.
use sfgen_generated::contact::{self, columns, ContactLeadSource};
use sfgen_generated::{Account, Contact};
use sfgen_runtime::chrono::NaiveDate;
use sfgen_runtime::query::{DateLiteral, Projection};
use sfgen_runtime::soql::{Condition, Like, Order, Select};
use sfgen_runtime::{Client, Id};

sfgen_runtime::projection! {
    /// What a mailing job reads.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Recipient from Contact {
        pub id: Id<Contact> = columns::ID,
        pub last_name: String = columns::LAST_NAME,
        pub email: Option<String> = columns::EMAIL,
        pub account_id: Option<Id<Account>> = columns::ACCOUNT_ID,
    }
}

/// Only type-checked: `main` names it, nothing calls it (there is no org here).
fn typed(client: &Client) {
    let _rows = client.query::<Contact>(Select::from::<Contact>());
    let _rows = client.query::<Recipient>(Select::from::<Contact>().project::<Recipient>());
    let _rows = client.query::<Contact>("SELECT Id FROM Contact");
}

fn main() {
    let _: fn(&Client) = typed;
    let date = NaiveDate::from_ymd_opt(1815, 12, 10).expect("a date");
    let select = Select::from::<Contact>()
        .filter(columns::BIRTHDATE.ge(DateLiteral::LastNDays(30)).or(columns::BIRTHDATE.eq(date)))
        .filter(columns::LAST_NAME.like(Like::starts_with("O'B")))
        .filter(columns::LEAD_SOURCE.is_in([ContactLeadSource::Web]))
        .filter(columns::EMAIL.is_not_null())
        .filter(Condition::eq(contact::fields::DEPARTMENT, "R&D"))
        .order_by(columns::LAST_NAME, Order::Asc)
        .limit(10)
        .offset(5)
        .project::<Recipient>();
    assert_eq!(
        select.build().as_str(),
        "SELECT Id, LastName, Email, AccountId FROM Contact WHERE ((((\
         (Birthdate >= LAST_N_DAYS:30 OR Birthdate = 1815-12-10) AND LastName LIKE 'O\\'B%') \
         AND LeadSource IN ('Web')) AND Email != null) AND Department = 'R&D') \
         ORDER BY LastName ASC LIMIT 10 OFFSET 5"
    );
    assert_eq!(Recipient::fields(), ["Id", "LastName", "Email", "AccountId"]);

    let row: Recipient = serde_json::from_str(
        r#"{"attributes":{"type":"Contact","url":"/x"},"Id":"003000000000001AAA",
            "LastName":"Lovelace","Email":null,"AccountId":"001000000000001AAA"}"#,
    )
    .expect("a projection row decodes");
    assert_eq!(row.last_name, "Lovelace");
    assert_eq!(row.email, None);
    assert!(row.account_id.is_some());

    let missing = serde_json::from_str::<Recipient>(r#"{"Id":"003000000000001AAA"}"#)
        .expect_err("a row without a selected field is an error");
    assert!(missing.to_string().contains("LastName"), "{missing}");
}
