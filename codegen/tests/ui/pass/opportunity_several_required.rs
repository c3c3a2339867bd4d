// An object with several required fields: all of them go through `OpportunityRequired`.
use sfgen_generated::opportunity::OpportunityStageName;
use sfgen_generated::{NewOpportunity, OpportunityRequired};
use sfgen_runtime::chrono::NaiveDate;
use sfgen_runtime::rust_decimal::Decimal;

fn main() {
    let opportunity = NewOpportunity::new(OpportunityRequired {
        name: "Big deal".into(),
        stage_name: OpportunityStageName::Prospecting,
        close_date: NaiveDate::from_ymd_opt(2024, 1, 31).expect("a valid date"),
    })
    .with_amount(Decimal::new(125_050, 2));
    let body = serde_json::to_string(&opportunity).expect("serializes");
    assert_eq!(
        body,
        r#"{"Amount":1250.50,"CloseDate":"2024-01-31","Name":"Big deal","StageName":"Prospecting"}"#
    );
}
