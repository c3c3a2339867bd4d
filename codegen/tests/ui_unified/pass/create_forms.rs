// Every unified create form built with its required fields, and converted by the
// generated mappers into the generated Salesforce create forms.
use chrono::{NaiveDate, TimeZone, Utc};
use sfgen_runtime::unified::{
    NewCompany, NewContact, NewDeal, NewLead, NewMeeting, NewNote, NewTask,
};

fn main() {
    let close = NaiveDate::from_ymd_opt(2026, 6, 30).expect("a date");
    let start = Utc
        .with_ymd_and_hms(2026, 1, 1, 9, 0, 0)
        .single()
        .expect("a time");
    let _: Result<sfgen_generated::NewContact, _> = NewContact::new("Lovelace").try_into();
    let _: Result<sfgen_generated::NewLead, _> = NewLead::new("Hopper", "Navy").try_into();
    let _: Result<sfgen_generated::NewOpportunity, _> =
        NewDeal::new("Acme", "Prospecting", close).try_into();
    let _: Result<sfgen_generated::NewEvent, _> =
        NewMeeting::new("Kick-off", start, start).try_into();
    let _: Result<sfgen_generated::NewAccount, _> = NewCompany::new("Acme").try_into();
    let mut note = NewNote::new("Summary");
    note.deal_id = Some("006000000000001AAA".into());
    let _: Result<sfgen_generated::NewNote, _> = note.try_into();
    let _: Result<sfgen_generated::NewTask, _> = NewTask::new("Call").try_into();
}
