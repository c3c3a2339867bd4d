//! An org-specific mapping spec end to end: a copy of `schemas/` whose
//! Opportunity has a custom currency field `Amount_USD__c` (and a few more custom
//! fields), an override `unified.toml` that maps `Deal.amount` to it and uses
//! every transform, a crate generated from them, and a test inside that crate
//! that drives the unified API against the fake org serving those describes.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .canonicalize()
        .expect("the workspace")
}

fn fresh_dir(path: &Path) -> PathBuf {
    if path.exists() {
        std::fs::remove_dir_all(path)
            .unwrap_or_else(|e| panic!("cannot clear `{}`: {e}", path.display()));
    }
    std::fs::create_dir_all(path)
        .unwrap_or_else(|e| panic!("cannot create `{}`: {e}", path.display()));
    path.to_owned()
}

/// Adds to `<dir>/<object>.json` a copy of field `template` named `name`, made
/// custom, with `changes` applied.
fn add_field(dir: &Path, object: &str, template: &str, name: &str, changes: &[(&str, Value)]) {
    let path = dir.join(format!("{object}.json"));
    let mut describe: Value =
        serde_json::from_slice(&std::fs::read(&path).expect("the describe reads")).expect("JSON");
    let fields = describe["fields"].as_array_mut().expect("fields");
    let mut field = fields
        .iter()
        .find(|f| f["name"] == template)
        .expect("the template field")
        .clone();
    field["name"] = name.into();
    field["label"] = name.trim_end_matches("__c").replace('_', " ").into();
    field["custom"] = true.into();
    for (key, value) in changes {
        field[*key] = value.clone();
    }
    fields.push(field);
    std::fs::write(
        &path,
        serde_json::to_vec_pretty(&describe).expect("serializes"),
    )
    .expect("writes");
}

/// The default spec with each `(from, to)` replaced once (after the header comment).
fn override_spec() -> String {
    let spec = std::fs::read_to_string(workspace().join("schemas/unified.toml"))
        .expect("the default spec");
    let body = spec.find("\nversion = 1\n").expect("the version line");
    let (header, mut rest) = (spec[..body].to_owned(), spec[body..].to_owned());
    let edits = [
        ("amount = \"Amount\"", "amount = \"Amount_USD__c\""),
        ("probability = \"Probability\"", "probability = \"Win_Chance__c\""),
        ("annualRevenue = \"AnnualRevenue\"", "annualRevenue = { field = \"Revenue_Cents__c\", transform = \"cents\" }"),
        ("birthday = \"Birthdate\"", "birthday = { field = \"Birth_Moment__c\", transform = \"date-datetime\" }"),
        (
            "status = \"Status\"",
            "status = { field = \"Status\", values = { \"Open - Not Contacted\" = \"new\", \"Working - Contacted\" = \"working\", \"Closed - Converted\" = \"converted\", \"Closed - Not Converted\" = \"lost\" } }",
        ),
        ("name = \"Name\"\nfirstName", "name = { join = [\"FirstName\", \"LastName\"] }\nfirstName"),
        ("[meeting]\n", "[deal.custom]\nregion = \"Region__c\"\nstage = { field = \"StageName\", access = \"read\" }\n\n[meeting]\n"),
    ];
    for (from, to) in edits {
        assert!(rest.contains(from), "the default spec contains {from:?}");
        rest = rest.replacen(from, to, 1);
    }
    format!("{header}{rest}")
}

/// The schemas copy with the org's custom fields, and its override spec.
fn override_schemas(dir: &Path) {
    for entry in std::fs::read_dir(workspace().join("schemas")).expect("schemas/ lists") {
        let path = entry.expect("an entry").path();
        if path.extension().is_some_and(|e| e == "json") {
            std::fs::copy(&path, dir.join(path.file_name().expect("a name"))).expect("copies");
        }
    }
    add_field(dir, "Opportunity", "Amount", "Amount_USD__c", &[]);
    add_field(
        dir,
        "Opportunity",
        "Amount",
        "Win_Chance__c",
        &[("precision", 5.into()), ("scale", 2.into())],
    );
    add_field(dir, "Opportunity", "NextStep", "Region__c", &[]);
    add_field(
        dir,
        "Account",
        "NumberofLocations__c",
        "Revenue_Cents__c",
        &[("precision", 18.into())],
    );
    add_field(dir, "Contact", "EmailBouncedDate", "Birth_Moment__c", &[]);
    std::fs::write(dir.join("unified.toml"), override_spec()).expect("writes the spec");
}

/// Runs inside the generated crate, against a fake org serving the same describes.
const E2E: &str = r#"
use std::str::FromStr;

use unified_override::unified::Salesforce;
use sfgen_fake_org::FakeOrg;
use sfgen_runtime::chrono::NaiveDate;
use sfgen_runtime::rust_decimal::Decimal;
use sfgen_runtime::serde_json::{json, Value};
use sfgen_runtime::unified::{DealUpdate, NewCompany, NewContact, NewDeal, NewLead};
use sfgen_runtime::{Client, Credentials, Field, Limits, RecordId, Url};

async fn raw(client: &Client, object: &str, id: &str) -> Value {
    client.get_value(object, RecordId::parse(id).expect("an id"), None).await.expect("the record reads")
}

#[tokio::test]
async fn the_override_spec_works_end_to_end() {
    let org = FakeOrg::builder()
        .schemas_dir(SCHEMAS)
        .api_versions((20..=66).map(|v| format!("{v}.0")))
        .start()
        .await
        .expect("the fake org starts");
    let url = Url::parse(org.instance_url()).expect("a URL");
    let client = Client::builder()
        .limits(Limits::unlimited())
        .connect(Credentials::access_token(url, org.access_token()))
        .await
        .expect("connects");
    let crm = client.crm::<Salesforce>();
    let date = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).expect("a date");

    // Deal.amount <- Amount_USD__c; a custom `region`; probability <- a currency field.
    let mut deal = NewDeal::new("Acme Corp", "Prospecting", date(2026, 6, 30));
    deal.amount = Some(Decimal::from_str("50000.25").expect("a decimal"));
    deal.probability = Some(12.5);
    deal.custom.insert("region".into(), json!("EMEA"));
    let deal_id = crm.deals().create(deal).await.expect("the deal is created");
    let record = raw(&client, "Opportunity", &deal_id).await;
    assert_eq!(record["Amount_USD__c"].as_f64(), Some(50000.25));
    assert_eq!(record["Amount"], Value::Null, "the standard Amount is not written");
    assert_eq!(record["Win_Chance__c"].as_f64(), Some(12.5));
    assert_eq!(record["Region__c"], "EMEA");
    let read = crm.deals().get(&deal_id).await.expect("the deal reads");
    assert_eq!(read.amount, Some(Decimal::from_str("50000.25").expect("a decimal")));
    assert_eq!(read.probability, Some(12.5));
    assert_eq!(read.custom.get("region"), Some(&json!("EMEA")));
    assert_eq!(read.custom.get("stage"), Some(&json!("Prospecting")));
    let update = DealUpdate { amount: Field::Value(Decimal::from(7)), ..DealUpdate::default() };
    crm.deals().update(&deal_id, update).await.expect("the update applies");
    assert_eq!(raw(&client, "Opportunity", &deal_id).await["Amount_USD__c"].as_f64(), Some(7.0));
    let mut read_only = NewDeal::new("X", "Prospecting", date(2026, 1, 1));
    read_only.custom.insert("stage".into(), json!("Closed Won"));
    let err = crm.deals().create(read_only).await.expect_err("`custom.stage` is read-only");
    assert!(err.to_string().contains("`custom.stage` is not a custom field of this mapping"), "{err}");

    // Company.annualRevenue <- whole cents.
    let mut company = NewCompany::new("Initech");
    company.annual_revenue = Some(Decimal::from_str("1234.56").expect("a decimal"));
    let company_id = crm.companies().create(company).await.expect("the company is created");
    assert_eq!(raw(&client, "Account", &company_id).await["Revenue_Cents__c"].as_f64(), Some(123456.0));
    let read = crm.companies().get(&company_id).await.expect("the company reads");
    assert_eq!(read.annual_revenue, Some(Decimal::from_str("1234.56").expect("a decimal")));

    // Contact.birthday <- a date-time field, at midnight UTC.
    let mut contact = NewContact::new("Lovelace");
    contact.birthday = Some(date(1815, 12, 10));
    let contact_id = crm.contacts().create(contact).await.expect("the contact is created");
    assert_eq!(raw(&client, "Contact", &contact_id).await["Birth_Moment__c"], "1815-12-10T00:00:00.000+0000");
    assert_eq!(crm.contacts().get(&contact_id).await.expect("reads").birthday, Some(date(1815, 12, 10)));

    // Lead.status translated both ways; untranslated values pass through.
    let mut lead = NewLead::new("Hopper", "Navy");
    lead.status = Some("working".into());
    let lead_id = crm.leads().create(lead).await.expect("the lead is created");
    assert_eq!(raw(&client, "Lead", &lead_id).await["Status"], "Working - Contacted");
    assert_eq!(crm.leads().get(&lead_id).await.expect("reads").status.as_deref(), Some("working"));

    // Owner.name joins first and last name.
    let me = crm.owners().get(&org.user_id()).await.expect("the org's user");
    let user = raw(&client, "User", &org.user_id()).await;
    let joined = format!("{} {}", user["FirstName"].as_str().unwrap_or_default(), user["LastName"].as_str().unwrap_or_default());
    assert_eq!(me.name.as_deref(), Some(joined.trim()));
}
"#;

/// The generated `src/unified.rs` module of one resource.
fn module<'a>(text: &'a str, name: &str) -> &'a str {
    let start = text
        .find(&format!("\npub mod {name} {{"))
        .unwrap_or_else(|| panic!("module {name}"));
    let end = text[start + 1..]
        .find("\n}\n")
        .map_or(text.len(), |e| start + 1 + e + 3);
    &text[start + 1..end]
}

#[test]
fn an_override_spec_maps_deal_amount_to_a_custom_field_end_to_end() {
    let scratch = fresh_dir(&Path::new(env!("CARGO_TARGET_TMPDIR")).join("unified-override"));
    let schemas = fresh_dir(&scratch.join("schemas"));
    override_schemas(&schemas);
    let out = scratch.join("crate");
    let runtime = workspace().join("runtime");
    let options = sfgen::Options {
        schemas: schemas.clone(),
        out: out.clone(),
        runtime: Some(sfgen::RuntimeDependency::Path(
            runtime.to_string_lossy().into_owned(),
        )),
        crate_name: "unified-override".to_owned(),
        ..sfgen::Options::default()
    };
    sfgen::generate(&options).unwrap_or_else(|e| panic!("{e}"));

    // The emitted mappers that use the override's transforms, for review.
    let unified =
        std::fs::read_to_string(out.join("src/unified.rs")).expect("src/unified.rs is generated");
    insta::assert_snapshot!("override_deal", module(&unified, "deal"));
    insta::assert_snapshot!("override_company", module(&unified, "company"));
    insta::assert_snapshot!("override_owner", module(&unified, "owner"));

    let fake_org = workspace().join("tests/fake-org");
    let mut manifest =
        std::fs::read_to_string(out.join("Cargo.toml")).expect("the generated manifest");
    manifest.push_str(&format!(
        "\n[dev-dependencies]\nsfgen-fake-org = {{ path = {:?} }}\n\
         sfgen-runtime = {{ path = {:?}, features = [\"client\"] }}\n\
         tokio = {{ version = \"1\", features = [\"macros\", \"rt-multi-thread\"] }}\n\n[workspace]\n",
        fake_org.to_string_lossy(),
        runtime.to_string_lossy()
    ));
    std::fs::write(out.join("Cargo.toml"), manifest).expect("writes the manifest");
    std::fs::copy(workspace().join("Cargo.lock"), out.join("Cargo.lock"))
        .expect("copies Cargo.lock");
    std::fs::create_dir_all(out.join("tests")).expect("creates tests/");
    let test = format!(
        "const SCHEMAS: &str = {:?};\n{E2E}",
        schemas.to_string_lossy()
    );
    std::fs::write(out.join("tests/e2e.rs"), test).expect("writes the test");

    // Shares the target directory of `recordings` and `cli_e2e` (same flags),
    // so the runtime is built once.
    let target = Path::new(env!("CARGO_TARGET_TMPDIR")).join("nested-builds");
    let output = Command::new(env!("CARGO"))
        .args(["test", "--quiet", "--target-dir"])
        .arg(&target)
        .current_dir(&out)
        .env("RUSTFLAGS", "-D warnings")
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .env_remove("CARGO_TARGET_DIR")
        .output()
        .expect("runs cargo");
    assert!(
        output.status.success(),
        "the override crate in `{}` fails:\n{}\n{}",
        out.display(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}
