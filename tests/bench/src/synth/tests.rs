use super::*;

/// A describe with an `Id`, a string, a picklist and a polymorphic reference.
fn small_describe() -> Value {
    let field = |name: &str, ty: &str| {
        json!({
            "name": name, "type": ty, "label": name, "nillable": true, "createable": true,
            "updateable": true, "defaultedOnCreate": false, "length": 80, "referenceTo": [],
            "picklistValues": [], "deprecatedAndHidden": false, "custom": false,
        })
    };
    let mut who = field("WhoId", "reference");
    who["referenceTo"] = json!(["Contact", "Lead"]);
    let mut street = field("BillingStreet", "string");
    street["compoundFieldName"] = json!("BillingAddress");
    json!({
        "name": "Thing",
        "fields": [
            field("Id", "id"), field("Name", "string"), field("Status", "picklist"), who,
            field("BillingAddress", "address"), street,
        ],
    })
}

fn pool() -> FieldPool {
    FieldPool::from_describes(&[small_describe()]).expect("the small describe makes a pool")
}

#[test]
fn the_pool_keeps_shapes_and_leaves_out_compounds() {
    let pool = pool();
    assert_eq!(
        pool.len(),
        4,
        "Name, Status, WhoId and BillingStreet; not Id, not the address"
    );
    assert!(pool.fields.iter().all(|f| f["compoundFieldName"].is_null()));
    assert!(FieldPool::from_describes(&[json!({"fields": []})]).is_err());
}

#[test]
fn the_same_seed_gives_the_same_org_and_another_seed_another() {
    let names = object_names(&[], 40);
    let a = SyntheticOrg::build(&pool(), &names, 42);
    let b = SyntheticOrg::build(&pool(), &names, 42);
    let c = SyntheticOrg::build(&pool(), &names, 43);
    let text = |org: &SyntheticOrg| serde_json::to_string(&org.describes).expect("serializes");
    assert_eq!(text(&a), text(&b));
    assert_ne!(text(&a), text(&c));
    assert_eq!(a.names(), names);
}

#[test]
fn a_thousand_objects_have_median_twelve_fields_and_a_tail_to_800() {
    let names = object_names(&[], 1000);
    let org = SyntheticOrg::build(&pool(), &names, 1);
    let mut counts = org.field_counts();
    counts.sort_unstable();
    assert_eq!(counts[500], 12, "median");
    assert_eq!(counts[999], sizes::MAX_FIELDS, "largest");
    assert!(
        org.field_counts()[..10].windows(2).any(|w| w[0] != w[1]),
        "sizes are shuffled over the names"
    );
}

#[test]
fn every_object_has_an_id_unique_field_names_and_references_inside_the_org() {
    let names = object_names(&["Account".to_owned(), "Account".to_owned()], 30);
    assert_eq!(names[0], "Account");
    assert_eq!(names[1], "Synthetic0001__c");
    let org = SyntheticOrg::build(&pool(), &names, 9);
    let known: HashSet<&str> = names.iter().map(String::as_str).collect();
    let mut prefixes = HashSet::new();
    for describe in &org.describes {
        assert!(prefixes.insert(
            describe["keyPrefix"]
                .as_str()
                .expect("a key prefix")
                .to_owned()
        ));
        let fields = describe["fields"].as_array().expect("fields");
        assert_eq!(fields[0]["name"], "Id");
        let mut seen = HashSet::new();
        for f in fields {
            let name = f["name"].as_str().expect("a name").to_ascii_lowercase();
            assert!(
                seen.insert(name.clone()),
                "{name} twice in {}",
                describe["name"]
            );
            for target in f["referenceTo"].as_array().into_iter().flatten() {
                assert!(
                    known.contains(target.as_str().expect("a name")),
                    "{target} is not in the org"
                );
            }
        }
    }
}

#[test]
fn key_prefixes_and_relationship_names() {
    assert_eq!(key_prefix(0), "a00");
    assert_eq!(key_prefix(37), "a11");
    assert_eq!(key_prefix(36 * 36), "b00");
    assert_eq!(relationship_name("AccountId"), "Account");
    assert_eq!(relationship_name("Boss__c"), "Boss__r");
    assert_eq!(relationship_name("Id"), "IdRef");
    let mut taken = HashSet::new();
    assert_eq!(unique_name("Name", &mut taken), "Name");
    assert_eq!(unique_name("name", &mut taken), "name2__c");
    assert_eq!(unique_name("Name", &mut taken), "Name3__c");
}

#[test]
fn the_recordings_make_a_pool() {
    let dir = Path::new(crate::RECORDINGS_DIR).join("describe/full");
    let pool = FieldPool::from_dir(&dir).unwrap_or_else(|e| {
        panic!(
            "the recordings ({}) must be beside the repository as shared/: {e}",
            dir.display()
        )
    });
    assert!(
        pool.len() > 900,
        "about a thousand real fields, got {}",
        pool.len()
    );
    let names = global_names(&Path::new(crate::RECORDINGS_DIR).join(crate::GLOBAL_DESCRIBE))
        .expect("the global describe");
    assert!(names.len() > 700);
}
