//! Listing: cursor pages, streams, and queries that select exactly the mapped fields.

use std::collections::BTreeSet;

use futures::TryStreamExt;
use sfgen_generated::unified::company::CompanyMapping;
use sfgen_runtime::unified::{CrmError, ListOptions, NewCompany, ReadMapping};

use crate::common::{client, crm, org, queries};

#[tokio::test]
async fn list_pages_with_a_cursor_until_the_last_page() {
    let org = org().await;
    let client = client(&org).await;
    let crm = crm(&client);
    let mut created = BTreeSet::new();
    for i in 0..5 {
        created.insert(
            crm.companies()
                .create(NewCompany::new(format!("Company {i}")))
                .await
                .expect("created"),
        );
    }

    let mut seen = Vec::new();
    let mut options = ListOptions::default().page_size(2);
    let mut pages = 0;
    loop {
        let page = crm.companies().list(options.clone()).await.expect("a page");
        pages += 1;
        assert!(page.items.len() <= 2);
        seen.extend(page.items.into_iter().map(|c| c.id));
        match page.next_cursor {
            Some(cursor) => options = ListOptions::after(cursor).page_size(2),
            None => break,
        }
    }
    assert_eq!(pages, 3, "5 records in pages of 2");
    assert_eq!(seen.len(), 5, "no record twice");
    assert_eq!(seen.iter().cloned().collect::<BTreeSet<_>>(), created);
    let mut sorted = seen.clone();
    sorted.sort();
    assert_eq!(seen, sorted, "pages are ordered by id");

    let streamed: Vec<String> = crm
        .companies()
        .stream()
        .map_ok(|c| c.id)
        .try_collect()
        .await
        .expect("a stream");
    assert_eq!(streamed, seen);

    let exact = ListOptions::default().page_size(5);
    let page = crm.companies().list(exact).await.expect("one page");
    assert_eq!(
        (page.items.len(), page.next_cursor),
        (5, None),
        "a full last page has no cursor"
    );
}

#[tokio::test]
async fn queries_select_exactly_the_mapped_fields() {
    let org = org().await;
    let client = client(&org).await;
    let crm = crm(&client);
    crm.companies()
        .create(NewCompany::new("Only"))
        .await
        .expect("created");
    crm.companies()
        .list(ListOptions::default())
        .await
        .expect("a page");
    let sent = queries(&org);
    let select = format!("SELECT {} FROM Account", CompanyMapping::FIELDS.join(", "));
    assert!(sent.iter().any(|q| q.starts_with(&select)), "{sent:?}");
    assert_eq!(
        CompanyMapping::FIELDS,
        [
            "Id",
            "AnnualRevenue",
            "BillingCity",
            "BillingCountry",
            "BillingPostalCode",
            "BillingState",
            "BillingStreet",
            "CreatedDate",
            "Description",
            "Industry",
            "LastModifiedDate",
            "Name",
            "NumberOfEmployees",
            "OwnerId",
            "Phone",
            "Website",
        ]
    );
}

#[tokio::test]
async fn bad_pages_and_ids_are_refused_before_any_request() {
    let org = org().await;
    let client = client(&org).await;
    let crm = crm(&client);
    let before = org.request_log().len();
    let err = crm
        .companies()
        .list(ListOptions::default().page_size(0))
        .await
        .expect_err("empty pages");
    assert!(
        matches!(err, CrmError::PageSize { requested: 0, .. }),
        "{err}"
    );
    let err = crm
        .companies()
        .list(ListOptions::after("nope"))
        .await
        .expect_err("not a cursor");
    assert!(
        matches!(
            err,
            CrmError::InvalidCursor {
                resource: "Company",
                ..
            }
        ),
        "{err}"
    );
    let err = crm
        .companies()
        .get("003000000000001AAA")
        .await
        .expect_err("a contact id");
    assert!(
        matches!(
            err,
            CrmError::InvalidId {
                resource: "Company",
                ..
            }
        ),
        "{err}"
    );
    assert_eq!(org.request_log().len(), before);
}
