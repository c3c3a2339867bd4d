//! Pipeline (OpportunityStage) and Owner (User): read-only resources, seeded
//! through the fake org's store.

use serde_json::{json, Value};
use sfgen_runtime::unified::{ListOptions, StageStatus, PIPELINE_ID};

use crate::common::{body, client, crm, org};

/// What the test compares of a stage: value, order, probability, status.
type Stage<'a> = (
    Option<&'a str>,
    Option<i64>,
    Option<f64>,
    Option<StageStatus>,
);

/// The committed OpportunityStage describe with the object and its fields made
/// createable, so that the test can seed stages through the store.
fn seedable(describe: &Value) -> Value {
    let mut d = describe.clone();
    d["createable"] = json!(true);
    if let Some(fields) = d["fields"].as_array_mut() {
        for f in fields {
            if f["name"] != "Id" {
                f["createable"] = json!(true);
            }
        }
    }
    d
}

#[tokio::test]
async fn pipeline_lists_the_stages_in_order() {
    let org = org().await;
    let describe: Value = serde_json::from_str(
        &std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../schemas/OpportunityStage.json"
        ))
        .expect("the describe"),
    )
    .expect("valid JSON");
    org.store()
        .replace_describe(seedable(&describe))
        .expect("a createable stage object");
    for (label, order, probability, closed, won, forecast) in [
        ("Closed Won", 3, 100, true, true, "Closed"),
        ("Prospecting", 1, 10, false, false, "Pipeline"),
        ("Closed Lost", 4, 0, true, false, "Omitted"),
        ("Negotiation", 2, 70, false, false, "Pipeline"),
    ] {
        let stage = body(&[
            ("MasterLabel", json!(label)),
            ("ApiName", json!(label)),
            ("SortOrder", json!(order)),
            ("DefaultProbability", json!(probability)),
            ("IsClosed", json!(closed)),
            ("IsWon", json!(won)),
            ("IsActive", json!(true)),
            ("ForecastCategory", json!(forecast)),
            ("ForecastCategoryName", json!(forecast)),
        ]);
        org.store()
            .insert("OpportunityStage", &stage)
            .expect("the stage is stored");
    }
    org.store()
        .replace_describe(describe)
        .expect("the real describe is back");

    let client = client(&org).await;
    let crm = crm(&client);
    let pipelines = crm.pipelines().list().await.expect("pipelines");
    assert_eq!(pipelines.len(), 1);
    let pipeline = &pipelines[0];
    assert_eq!(pipeline.id, PIPELINE_ID);
    let stages: Vec<Stage<'_>> = pipeline
        .stages
        .iter()
        .map(|s| (s.value.as_deref(), s.order, s.probability, s.status))
        .collect();
    assert_eq!(
        stages,
        [
            (
                Some("Prospecting"),
                Some(1),
                Some(10.0),
                Some(StageStatus::Open)
            ),
            (
                Some("Negotiation"),
                Some(2),
                Some(70.0),
                Some(StageStatus::Open)
            ),
            (
                Some("Closed Won"),
                Some(3),
                Some(100.0),
                Some(StageStatus::Won)
            ),
            (
                Some("Closed Lost"),
                Some(4),
                Some(0.0),
                Some(StageStatus::Lost)
            ),
        ]
    );
    assert_eq!(
        crm.pipelines()
            .get(PIPELINE_ID)
            .await
            .expect("the pipeline"),
        *pipeline
    );
    assert!(crm.pipelines().get("other").await.is_err());
    let one = crm
        .pipelines()
        .stages()
        .get(&pipeline.stages[0].id)
        .await
        .expect("a stage by id");
    assert_eq!(one.label.as_deref(), Some("Prospecting"));
}

#[tokio::test]
async fn owners_are_the_org_users() {
    let org = org().await;
    let client = client(&org).await;
    let crm = crm(&client);
    let page = crm
        .owners()
        .list(ListOptions::default())
        .await
        .expect("owners");
    assert!(!page.items.is_empty());
    let me = crm
        .owners()
        .get(&org.user_id())
        .await
        .expect("the org's user");
    assert_eq!(me.id, org.user_id());
    assert_eq!(me.is_active, Some(true));
    assert!(
        me.email.as_deref().is_some_and(|e| e.contains('@')),
        "{me:?}"
    );
    assert!(me.last_name.is_some());
    assert!(page.items.iter().any(|o| o.id == me.id));
}
